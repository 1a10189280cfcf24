import { formatInstant } from '../../../domain/format-instant';
import { ZIdSchema } from '../../../domain/schemas/common';
import { readFile } from 'node:fs/promises';
import type { TPdfSignatureCheck } from '../../check-pdf-signature';
import { CpoInputError, CpoRefusedError, CpoUnavailableError } from '../../errors';
import { RecordUnavailableError, verifyExecutedPdf, type TVerifyResult } from '../../verify-executed-pdf';
import { defineCommand } from '../command';
import { text } from '../flags';

/** Which offline checks of the district's digital signature passed, one line each. */
export function signatureLines(check: TPdfSignatureCheck): string[] {
  if (!check.signed) return [`Digital signature: none (${check.problems.join('; ')})`];
  const mark = (passed: boolean) => (passed ? 'passed' : 'FAILED');
  return [
    `Digital signature, checked offline${check.signer ? ` (signed by ${check.signer})` : ''}:`,
    `  ${mark(check.intact)}: intact, the signed bytes are unchanged`,
    `  ${mark(check.coversWholeFile)}: covers the whole file, nothing added after signing`,
    `  ${mark(check.byDistrictCertificate)}: made with the district certificate`,
    ...check.problems.map((problem) => `  - ${problem}`),
  ];
}

/**
 * `cpo verify FILE.pdf`: the district's digital signature offline first, then the record. Exit 0 when both hold,
 * 1 with what failed if not (or when the record cannot be asked: try again).
 */
export const verify = defineCommand({
  name: 'verify',
  summary:
    "Check FILE (a PDF): the district's digital signature offline, then that it is exactly the executed contract or signed attestation on record",
  flags: { 'contract-id': text },
  positionals: [{ name: 'FILE', required: true }],
  run: async (context, flags, { positionals, documents, districtCertificate }) => {
    const path = positionals[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
      throw CpoInputError.forField('FILE', `cannot read ${path}: ${reason}`);
    }
    const contractId = flags['contract-id'];
    // Bad input is refused before the certificate or the record is read.
    const id = contractId === undefined ? undefined : ZIdSchema.safeParse(contractId);
    if (id && !id.success) throw CpoInputError.forField('contractId', id.error.issues[0]!.message);
    let result: TVerifyResult;
    try {
      result = await verifyExecutedPdf(context, documents(), bytes, districtCertificate(context.policy.district), id?.data);
    } catch (error) {
      if (!(error instanceof RecordUnavailableError)) throw error;
      throw new CpoUnavailableError(
        [...signatureLines(error.signature), `The record could not be checked: ${error.message}`, 'Try again when Temporal answers.'].join(
          '\n',
        ),
      );
    }
    if (!result.verified) {
      const onRecord = result.actualSha256 === result.expectedSha256;
      throw new CpoRefusedError(
        [
          `Not verified: ${path} ${onRecord ? `is the ${result.documentName} on record, but its digital signature does not check out` : `is not the ${result.documentName} on record`}.`,
          ...signatureLines(result.signature),
          `  SHA-256 of the file:                ${result.actualSha256}`,
          `  SHA-256 on record:                  ${result.expectedSha256}`,
          ...(onRecord ? [] : ['What differs:', ...result.differences.map((difference) => `  - ${difference}`)]),
        ].join('\n'),
      );
    }
    return result;
  },
  human: (result, timeZone) =>
    [
      ...signatureLines(result.signature),
      `Verified: the file is exactly the ${result.documentName} on record (SHA-256 ${result.actualSha256}).`,
      ...result.signatures.map(
        (s) => `  signed (${s.role}): ${s.name} <${s.email}> at ${formatInstant(s.signedAt, timeZone, { seconds: true })} by ${s.method}`,
      ),
    ].join('\n'),
});

import { formatInstant } from '../../domain/format-instant';
import { readFile } from 'node:fs/promises';
import { CpoInputError, CpoRefusedError } from '../errors';
import { verifyExecutedPdf, type TVerifyResult } from '../verify-executed-pdf';
import type { TCommand } from './commands';

/** `cpo verify FILE.pdf`: exit 0 when the file is exactly the executed contract on record, 1 with what differs if not. */
export const verify: TCommand = {
  name: 'verify',
  summary: 'Tell whether FILE (a PDF) is exactly the executed contract on record, and what differs if not',
  options: { 'contract-id': { type: 'string' } },
  positionals: [{ name: 'FILE', required: true }],
  run: async (context, flags, { positionals, documents }) => {
    const path = positionals[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : (error as Error).message;
      throw CpoInputError.forField('FILE', `cannot read ${path}: ${reason}`);
    }
    const result = await verifyExecutedPdf(context, documents(), bytes, flags['contract-id'] as string | undefined);
    if (!result.verified) {
      throw new CpoRefusedError(
        [
          `Not verified: ${path} is not the executed contract ${result.contractId} on record.`,
          `  SHA-256 of the file:                ${result.actualSha256}`,
          `  SHA-256 of the executed contract:   ${result.expectedSha256}`,
          'What differs:',
          ...result.differences.map((difference) => `  - ${difference}`),
        ].join('\n'),
      );
    }
    return result;
  },
  human: (r, timeZone) => {
    const result = r as TVerifyResult;
    return [
      `Verified: the file is exactly the executed contract ${result.contractId} on record (SHA-256 ${result.actualSha256}).`,
      ...result.signatures.map((s) => `  signed (${s.role}): ${s.name} <${s.email}> at ${formatInstant(s.signedAt, timeZone, { seconds: true })} by ${s.method}`),
    ].join('\n');
  },
};

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';
import { signPdf } from '../../activities/pdf/sign-pdf';
import { createSelfSignedP12 } from '../../config/load-signing-credential';
import { readSigningCredential } from '../../security/signing-credential';
import { appendIncrementalUpdate, pdfsig } from '../helpers/pdfsig';
import { sha256Hex } from '../../activities/storage/document-store';
import { EXIT, runCli } from '../../client/cli/run-cli';
import { connectCpo, type TCpoContext } from '../../client/context';
import { parseEnv } from '../../config/env';
import { freePort } from '../../scripts/free-port';
import { getContractStatus, startContract } from '../../client/contracts';
import { contractRequest, executeContract as execute, readyPartner } from '../helpers/fixtures';
import { parseJson, ZCliJsonErrorSchema } from '../helpers/parse-json';
import { useRealPipeline } from '../helpers/real-pipeline';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal);

const flat = (text: string): string => text.replace(/\s+/g, ' ');

async function cpo(context: TCpoContext, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    connect: () => Promise.resolve(context),
    documents: () => pipeline.documents,
    districtCertificate: () => pipeline.signingCredential.certificates[0]!,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function writeTemp(name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(pipeline.dataDir, name);
  await writeFile(file, bytes);
  return file;
}

test('cpo verify: the executed contract verifies; a changed byte, another file or another contract does not', async () => {
  const { context, documents } = pipeline;
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  const otherId = uniqueId('contract');
  const partnerEmail = `lan@${partnerId}.example`;

  await readyPartner(context, partnerId);
  await startContract(context, contractRequest(contractId, partnerId));
  await startContract(context, contractRequest(otherId, partnerId, { programName: 'Chess club' }));
  const executedRef = await execute(context, contractId, partnerEmail);

  const executed = await documents.get(executedRef);
  const contractDocument = (await getContractStatus(context, contractId)).documents.contract!;
  expect(sha256Hex(executed)).toBe(executedRef.sha256);
  const file = await writeTemp('executed.pdf', executed);

  // The executed PDF ends with the certificate of completion and names its contract in its keywords.
  const text = await extractPdfText(executed);
  expect(flat(text.pages.slice(-2).join('\n'))).toContain('Certificate of completion');
  expect(flat(text.pages.at(-1)!)).toContain(`Certificate generated`);
  expect((await PDFDocument.load(executed, { updateMetadata: false })).getKeywords()).toBe(`cpo-contract:${contractId}`);

  // Digitally signed by the district over the whole file, as poppler's own verifier sees it.
  const report = await pdfsig('executed', executed);
  expect(report).toContain('Signature Validation: Signature is Valid.');
  expect(report).toContain('Total document signed');
  expect(report).toContain('Signature Type: ETSI.CAdES.detached');
  expect(report).toContain('Signer Certificate Common Name: Minneapolis Public Schools Community Partnerships Office');

  // The file as recorded: verified, the contract found from the file itself, the signature checked first.
  const verified = await cpo(context, 'verify', file);
  expect(verified).toMatchObject({ code: EXIT.ok, err: '' });
  expect(verified.out.split('\n').slice(0, 4)).toEqual([
    `Digital signature, checked offline (signed by ${pipeline.signingCredential.subject}):`,
    '  passed: intact, the signed bytes are unchanged',
    '  passed: covers the whole file, nothing added after signing',
    '  passed: made with the district certificate',
  ]);
  expect(verified.out).toContain(
    `Verified: the file is exactly the executed contract ${contractId} on record (SHA-256 ${executedRef.sha256})`,
  );
  expect(verified.out).toMatch(/signed \(partner\): Lan Nguyễn/);
  expect(verified.out).toMatch(/signed \(district\): CPO Office/);
  const asJson = await cpo(context, 'verify', file, '--json');
  expect(asJson.code).toBe(EXIT.ok);
  expect(JSON.parse(asJson.out)).toEqual({
    verified: true,
    signature: {
      signed: true,
      intact: true,
      coversWholeFile: true,
      byDistrictCertificate: true,
      signer: pipeline.signingCredential.subject,
      problems: [],
    },
    contractId,
    documentName: `executed contract ${contractId}`,
    expectedSha256: executedRef.sha256,
    actualSha256: executedRef.sha256,
    signatures: [expect.objectContaining({ role: 'partner' }), expect.objectContaining({ role: 'district' })],
    differences: [],
  });
  expect((await cpo(context, 'verify', file, '--contract-id', contractId)).code).toBe(EXIT.ok);

  // One byte changed: refused, naming the first differing byte.
  const offset = Math.floor(executed.byteLength / 2);
  const tampered = Uint8Array.from(executed);
  tampered[offset] = tampered[offset]! ^ 0x01;
  const tamperedResult = await cpo(context, 'verify', await writeTemp('tampered.pdf', tampered), '--contract-id', contractId);
  expect(tamperedResult.code).toBe(EXIT.refused);
  expect(tamperedResult.out).toBe('');
  expect(tamperedResult.err).toContain(`is not the executed contract ${contractId} on record`);
  expect(tamperedResult.err).toContain(`first differing byte at offset ${offset} (0x${offset.toString(16)})`);
  expect(tamperedResult.err).not.toMatch(/size:/);
  expect(tamperedResult.err).toContain('  FAILED: intact, the signed bytes are unchanged');
  expect(await pdfsig('tampered', tampered)).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);

  // An update appended after signing (as a PDF editor saves a change): the signature no longer covers the file.
  const appended = appendIncrementalUpdate(executed);
  expect(await pdfsig('appended', appended)).toContain('Not total document signed');
  const appendedResult = await cpo(context, 'verify', await writeTemp('appended.pdf', appended), '--contract-id', contractId);
  expect(appendedResult.code).toBe(EXIT.refused);
  expect(appendedResult.err).toContain('  passed: intact, the signed bytes are unchanged');
  expect(appendedResult.err).toContain('  FAILED: covers the whole file, nothing added after signing');
  expect(appendedResult.err).toContain(
    `the signature covers ${executed.byteLength} of the file's ${appended.byteLength} bytes: something was added after signing`,
  );

  // The same document signed with another certificate: reported as such.
  const otherCredential = readSigningCredential(createSelfSignedP12('Not The District'), '');
  const resigned = await signPdf(await documents.get(contractDocument), {
    credential: otherCredential,
    reason: 'forged',
    location: 'elsewhere',
    signingTime: new Date(),
  });
  const resignedResult = await cpo(context, 'verify', await writeTemp('resigned.pdf', resigned), '--contract-id', contractId);
  expect(resignedResult.code).toBe(EXIT.refused);
  expect(resignedResult.err).toContain(`Digital signature, checked offline (signed by ${otherCredential.subject}):`);
  expect(resignedResult.err).toContain('  FAILED: made with the district certificate');

  // A truncated copy: a different size, and the byte where it stops.
  const truncated = await cpo(context, 'verify', await writeTemp('truncated.pdf', executed.slice(0, 1000)), '--contract-id', contractId);
  expect(truncated.code).toBe(EXIT.refused);
  expect(truncated.err).toContain(`size: the file is 1000 bytes, the executed contract ${executed.byteLength} bytes`);
  expect(truncated.err).toContain('first differing byte at offset 1000 (0x3e8): the file ends there');
  expect(truncated.err).toContain('not a readable PDF (');

  // Not a PDF: with no contract id it cannot say which contract it claims to be; with one, it is not it.
  const notPdf = await writeTemp('notes.pdf', 'Meeting notes, not a contract.\n');
  const unnamed = await cpo(context, 'verify', notPdf);
  expect(unnamed.code).toBe(EXIT.badInput);
  expect(unnamed.err).toMatch(/--contract-id: is required: the file is not a readable PDF/);
  const named = await cpo(context, 'verify', notPdf, '--contract-id', contractId);
  expect(named.code).toBe(EXIT.refused);
  expect(named.err).toContain('not a readable PDF');

  // Another contract, not executed yet: refused, saying so.
  const notExecuted = await cpo(context, 'verify', file, '--contract-id', otherId);
  expect(notExecuted.code).toBe(EXIT.refused);
  expect(notExecuted.err).toContain(`contract ${otherId} has no executed document yet (stage awaiting_partner_signature)`);

  // Another executed contract: not verified, and the differences say where (text, keywords).
  const otherRef = await execute(context, otherId, partnerEmail);
  const other = await cpo(context, 'verify', file, '--contract-id', otherId, '--json');
  expect(other.code).toBe(EXIT.refused);
  const { message } = parseJson(ZCliJsonErrorSchema, other.err).error;
  expect(message).toContain(`is not the executed contract ${otherId} on record`);
  expect(message).toContain(otherRef.sha256);
  expect(message).toMatch(/text differs on pages? 1/);
  expect(message).toContain(`keywords: the file's is "cpo-contract:${contractId}", the executed contract's "cpo-contract:${otherId}"`);

  // The other contract's own file verifies from its keywords.
  const otherFile = await writeTemp('other.pdf', await documents.get(otherRef));
  expect(await cpo(context, 'verify', otherFile)).toMatchObject({
    code: EXIT.ok,
    out: expect.stringContaining(`contract ${otherId} on record`),
  });
});

test('cpo verify: bad input names FILE and is refused before anything is read', async () => {
  const context = { client: undefined, taskQueue: 'none', policy: undefined } as unknown as TCpoContext;
  const missing = await cpo(context, 'verify');
  expect(missing.code).toBe(EXIT.badInput);
  expect(missing.err).toContain('Usage: cpo verify FILE');
  expect(missing.err).toContain('  FILE: is required');

  const absent = await cpo(context, 'verify', path.join(pipeline.dataDir, 'no-such.pdf'));
  expect(absent.code).toBe(EXIT.badInput);
  expect(absent.err).toMatch(/FILE: cannot read .*no-such\.pdf: no such file/);

  const folder = await cpo(context, 'verify', pipeline.dataDir, '--json');
  expect(folder.code).toBe(EXIT.badInput);
  expect(parseJson(ZCliJsonErrorSchema, folder.err).error.problems).toEqual([
    { flag: 'FILE', field: 'FILE', message: expect.stringContaining('is a folder, not a file') },
  ]);

  const extra = await cpo(context, 'verify', 'a.pdf', 'b.pdf');
  expect(extra.code).toBe(EXIT.badInput);
  expect(extra.err).toContain('Unexpected argument "b.pdf"');

  const badId = await cpo(context, 'verify', await writeTemp('empty.pdf', ''), '--contract-id', 'Not An Id');
  expect(badId.code).toBe(EXIT.badInput);
  expect(badId.err).toMatch(/--contract-id: must be 3-64 characters/);

  const help = await cpo(context, 'verify', '--help');
  expect(help.out).toMatch(/^cpo verify FILE: /);
  expect(help.out).toContain('--contract-id <value>');
});

test('cpo verify: with Temporal down the signature is still checked offline, and the record is "try again"', async () => {
  const letter = await PDFDocument.create();
  letter.addPage().drawText('Executed contract');
  letter.setKeywords(['cpo-contract:c-offline-check']);
  const signed = await signPdf(await letter.save({ useObjectStreams: false }), {
    credential: pipeline.signingCredential,
    reason: 'offline check',
    location: 'Minneapolis Public Schools',
    signingTime: new Date(),
  });
  const down = connectCpo(parseEnv({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, CPO_DATA_DIR: pipeline.dataDir }));
  try {
    const result = await cpo(down.context, 'verify', await writeTemp('offline.pdf', signed));
    expect(result.code).toBe(EXIT.refused);
    expect(result.out).toBe('');
    expect(result.err).toContain('  passed: intact, the signed bytes are unchanged');
    expect(result.err).toContain('  passed: covers the whole file, nothing added after signing');
    expect(result.err).toContain('  passed: made with the district certificate');
    expect(result.err).toContain('The record could not be checked: ');
    expect(result.err).toContain('Try again when Temporal answers.');
  } finally {
    await down.close();
  }
});

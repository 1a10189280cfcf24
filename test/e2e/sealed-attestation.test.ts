import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../activities/storage/document-store';
import { EXIT, runCli } from '../../client/cli/run-cli';
import { applyPartner, getPartnerStatus } from '../../client/partners';
import { partnerApplication } from '../helpers/fixtures';
import { pdfsig } from '../helpers/pdfsig';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {} });

async function cpoVerify(bytes: Uint8Array, name: string): Promise<{ code: number; out: string; err: string }> {
  const file = path.join(pipeline.dataDir, name);
  await writeFile(file, bytes);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['verify', file], {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    connect: () => Promise.resolve(pipeline.context),
    documents: () => pipeline.documents,
    districtCertificate: () => pipeline.signingCredential.certificates[0]!,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('an attestation signed on its page is sealed, signed by the district, emailed to the representative, and verifies with cpo verify and pdfsig', async () => {
  const partnerId = uniqueId('partner');
  const email = `lan@${partnerId}.example`;
  await applyPartner(pipeline.context, partnerApplication(partnerId));
  const request = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Safety protocol attestation/.test(m.parsed.subject ?? ''),
  );
  const link = /(http:\/\/127\.0\.0\.1:\d+\/attest\/[A-Za-z0-9_.-]+)/.exec(request.parsed.text ?? '')![1]!;
  const signed = await fetch(link, {
    method: 'POST',
    body: new URLSearchParams({ consent: 'yes', name: 'Lan Nguyễn', title: 'Executive Director' }),
    headers: { 'user-agent': 'test-browser/1.0' },
  });
  expect(signed.status).toBe(200);

  const mail = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /^Signed: safety protocol attestation/.test(m.parsed.subject ?? ''),
  );
  const status = await eventually(async () => {
    const partner = await getPartnerStatus(pipeline.context, partnerId);
    return partner.attestations[0]?.sealed ? partner : undefined;
  });
  const attestation = status.attestations[0]!;
  expect(attestation.method).toBe('link');
  expect(status.history.map((entry) => entry.event)).toContain('attestation_sealed');
  const attachment = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
  const bytes = new Uint8Array(attachment.content);
  expect(attachment.filename).toBe(`attestation-${partnerId}-${attestation.schoolYear}-signed.pdf`);
  expect(sha256Hex(bytes)).toBe(attestation.sealed!.sha256);
  expect(sha256Hex(await pipeline.documents.get(attestation.sealed!))).toBe(attestation.sealed!.sha256);
  expect(mail.parsed.text).toContain(attestation.sealed!.sha256);

  const report = await pdfsig('sealed-attestation-e2e', bytes);
  expect(report).toContain('Signature Validation: Signature is Valid.');
  expect(report).toContain('Total document signed');

  const verified = await cpoVerify(bytes, 'signed-attestation.pdf');
  expect(verified.err).toBe('');
  expect(verified.code).toBe(EXIT.ok);
  expect(verified.out).toContain('passed: made with the district certificate');
  expect(verified.out).toContain(
    `Verified: the file is exactly the signed attestation of ${partnerId} for ${attestation.schoolYear} on record (SHA-256 ${attestation.sealed!.sha256})`,
  );
  expect(verified.out).toContain(`signed (partner): Lan Nguyễn <${email}>`);

  const changed = Uint8Array.from(bytes);
  const at = Math.floor(bytes.byteLength / 3);
  changed[at] = changed[at]! ^ 1;
  const tampered = await cpoVerify(changed, 'signed-attestation-changed.pdf');
  expect(tampered.code).toBe(EXIT.refused);
  expect(tampered.err).toContain(`is not the signed attestation of ${partnerId} for ${attestation.schoolYear} on record`);
  expect(tampered.err).toContain('FAILED: intact, the signed bytes are unchanged');
  expect(await pdfsig('sealed-attestation-e2e-changed', changed)).not.toContain('Signature is Valid.');
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { generateAttestationPdf } from '../../activities/generate-attestation-pdf';
import { generateSignedAttestationPdf } from '../../activities/generate-signed-attestation-pdf';
import { attestationFromKeywords } from '../../activities/pdf/append-completion-certificate';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';
import { createFolderDocumentStore, sha256Hex } from '../../activities/storage/document-store';
import { checkPdfSignature } from '../../client/check-pdf-signature';
import { createSelfSignedP12 } from '../../config/load-signing-credential';
import { ZPolicySchema } from '../../domain/policy';
import type { TSignatureRecord } from '../../domain/schemas/contract';
import policyJson from '../../policies/minneapolis.json';
import { readSigningCredential } from '../../security/signing-credential';
import { pdfsig } from '../helpers/pdfsig';

const policy = ZPolicySchema.parse(policyJson);
const output = path.join(__dirname, '..', '..', 'test-output');
mkdirSync(output, { recursive: true });
const documents = createFolderDocumentStore(mkdtempSync(path.join(output, 'signed-attestation-')));
const districtSeal = { district: policy.district, credential: readSigningCredential(createSelfSignedP12(policy.district), '') };
const generatedAt = '2026-09-03T17:05:09.000Z';
const representative = { name: 'Lan Nguyễn', title: 'Executive Director', email: 'lan@hoi-nguoi-viet.example' };

async function signedAttestation() {
  const form = await generateAttestationPdf({ documents, timeZone: policy.timeZone })({
    organizationName: 'Hội Người Việt Tutoring',
    partnerId: 'hoi-nguoi-viet',
    district: policy.district,
    representative,
    attestation: policy.attestation,
    schoolYear: '2026-2027',
    generatedAt: '2026-09-01T14:00:00.000Z',
  });
  const signature: TSignatureRecord = {
    role: 'partner',
    ...representative,
    signedAt: '2026-09-03T17:04:00.000Z',
    method: 'link',
    ipAddress: '203.0.113.7',
    userAgent: 'Firefox 140',
    requestNumber: 1,
    documentSha256: form.sha256,
  };
  const event = {
    role: 'partner' as const,
    name: representative.name,
    email: representative.email,
    requestNumber: 1,
    documentSha256: form.sha256,
  };
  const input = {
    form,
    partnerId: 'hoi-nguoi-viet',
    organizationName: 'Hội Người Việt Tutoring',
    schoolYear: '2026-2027',
    signature,
    events: [
      { ...event, at: '2026-09-01T14:00:01.000Z', type: 'sent' as const },
      { ...event, at: '2026-09-02T15:30:00.000Z', type: 'reminded' as const, detail: '2026-2027 request #1, reminder 1' },
      { ...event, at: '2026-09-03T17:01:00.000Z', type: 'viewed' as const },
      { ...event, at: '2026-09-03T17:04:00.000Z', type: 'signed' as const, ipAddress: '203.0.113.7', userAgent: 'Firefox 140' },
    ],
    generatedAt,
  };
  const sealed = await generateSignedAttestationPdf({ documents, timeZone: policy.timeZone, districtSeal })(input);
  return { form, sealed, input, bytes: await documents.get(sealed) };
}

test('the signed attestation is the form, a signature page and a certificate of completion, signed by the district over the whole file', async () => {
  const { form, sealed, bytes } = await signedAttestation();
  expect(sealed).toMatchObject({
    kind: 'attestation',
    filename: 'attestation-hoi-nguoi-viet-2026-2027-signed.pdf',
    sha256: sha256Hex(bytes),
    signedBy: districtSeal.credential.subject,
  });

  const formPages = (await extractPdfText(await documents.get(form))).pages;
  const { pages } = await extractPdfText(bytes);
  expect(pages.slice(0, formPages.length)).toEqual(formPages);
  const appended = pages.slice(formPages.length).join('\n').replace(/\s+/g, ' ');
  expect(appended).toContain('Signatures');
  expect(appended).toContain(
    `The agency representative signed the safety protocol attestation of Hội Người Việt Tutoring (hoi-nguoi-viet) for 2026-2027, the document with SHA-256: ${form.sha256}`,
  );
  expect(appended).toContain('Signed by Lan Nguyễn, Executive Director');
  // 17:04 UTC is 12:04 in Minneapolis (CDT).
  expect(appended).toContain('Signed at 2026-09-03 12:04:00 CDT');
  expect(appended).toContain('Method link');
  expect(appended).toContain('203.0.113.7');
  expect(appended).toContain('Certificate of completion');
  for (const title of ['1. Signature request sent', '2. Reminder sent', '3. Signing page viewed', '4. Signed'])
    expect(appended).toContain(title);

  const file = path.join(output, 'signed-attestation.pdf');
  writeFileSync(file, bytes);
  const poppler = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(poppler).toContain('Certificate of completion');
  expect(poppler).toContain('Lan Nguyễn');

  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  expect(attestationFromKeywords(document.getKeywords())).toEqual({ partnerId: 'hoi-nguoi-viet', schoolYear: '2026-2027' });

  const report = await pdfsig('signed-attestation', bytes);
  expect(report).toContain('Signature Validation: Signature is Valid.');
  expect(report).toContain('Total document signed');
  expect(report).toContain('Signing Time: Sep 03 2026 17:05:09');
  expect(report).toContain(`Signer Certificate Common Name: ${policy.district}`);
  expect(checkPdfSignature(bytes, districtSeal.credential.certificates[0]!)).toMatchObject({
    signed: true,
    intact: true,
    coversWholeFile: true,
    byDistrictCertificate: true,
    problems: [],
  });

  const changed = Uint8Array.from(bytes);
  // One byte of the form's page content, well before the signature.
  const at = Math.floor(bytes.byteLength / 4);
  changed[at] = changed[at]! ^ 1;
  expect(await pdfsig('signed-attestation-changed', changed)).not.toContain('Signature is Valid.');
  expect(checkPdfSignature(changed, districtSeal.credential.certificates[0]!).intact).toBe(false);
});

test('a retried activity makes the same document apart from the signature bytes: the same pages and signing time', async () => {
  const first = await signedAttestation();
  const second = await signedAttestation();
  expect((await extractPdfText(second.bytes)).pages).toEqual((await extractPdfText(first.bytes)).pages);
  expect(second.bytes.byteLength).toBe(first.bytes.byteLength);
});

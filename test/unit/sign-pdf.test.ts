import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import { signPdf } from '../../activities/pdf/sign-pdf';
import { checkPdfSignature } from '../../client/check-pdf-signature';
import { createSelfSignedP12 } from '../../config/load-signing-credential';
import { readSigningCredential } from '../../security/signing-credential';
import { appendIncrementalUpdate, pdfsig } from '../helpers/pdfsig';

const district = readSigningCredential(createSelfSignedP12('Minneapolis Public Schools'), '');
const other = readSigningCredential(createSelfSignedP12('Not The District'), '');
const signingTime = new Date('2026-11-30T17:05:09Z');

async function letter(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage().drawText('Executed contract');
  document.addPage().drawText('Certificate of completion');
  return document.save({ useObjectStreams: false });
}

const sign = async (credential = district) =>
  signPdf(await letter(), {
    credential,
    reason: 'Minneapolis Public Schools certifies the executed contract c-1',
    location: 'Minneapolis Public Schools',
    signingTime,
  });

test('a signed PDF is reported valid and covering the whole document by pdfsig and by the offline check', async () => {
  const signed = await sign();
  const report = await pdfsig('signed', signed);
  expect(report).toContain('Signature Validation: Signature is Valid.');
  expect(report).toContain('Total document signed');
  expect(report).toContain('Signature Type: ETSI.CAdES.detached');
  expect(report).toContain('Signer Certificate Common Name: Minneapolis Public Schools Community Partnerships Office');
  expect(report).toContain('Signing Time: Nov 30 2026 17:05:09');
  expect(checkPdfSignature(signed, district.certificates[0]!)).toEqual({
    signed: true,
    intact: true,
    coversWholeFile: true,
    byDistrictCertificate: true,
    signer: 'CN=Minneapolis Public Schools Community Partnerships Office, O=Minneapolis Public Schools',
    problems: [],
  });
  // The certificate carries the key usages verifiers expect of a signing certificate.
  const certificate = forge.pki.certificateFromAsn1(forge.asn1.fromDer(district.certificates[0]!.toString('binary')));
  expect(certificate.getExtension('keyUsage')).toMatchObject({
    critical: true,
    digitalSignature: true,
    nonRepudiation: true,
    keyCertSign: false,
  });
});

test('signing the same bytes at the same workflow time makes the same file', async () => {
  // The same input bytes (a new letter carries its own creation time) signed twice.
  const bytes = await letter();
  const again = () =>
    signPdf(bytes, {
      credential: district,
      reason: 'Minneapolis Public Schools certifies the executed contract c-1',
      location: 'Minneapolis Public Schools',
      signingTime,
    });
  expect(Buffer.from(await again()).equals(Buffer.from(await again()))).toBe(true);
});

test('a one-byte change and an appended update are caught by pdfsig and by the offline check', async () => {
  const signed = await sign();
  const changed = Uint8Array.from(signed);
  const offset = Buffer.from(signed).indexOf('/MediaBox') + 12; // a digit of the first page's size
  changed[offset] = changed[offset]! ^ 0x01;
  expect(await pdfsig('changed', changed)).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
  expect(checkPdfSignature(changed, district.certificates[0]!)).toMatchObject({
    intact: false,
    problems: [expect.stringContaining('the file was changed after it was signed')],
  });

  const appended = appendIncrementalUpdate(signed);
  const report = await pdfsig('appended', appended);
  expect(report).toContain('Signature Validation: Signature is Valid.');
  expect(report).toContain('Not total document signed');
  expect(checkPdfSignature(appended, district.certificates[0]!)).toMatchObject({
    intact: true,
    coversWholeFile: false,
    problems: [`the signature covers ${signed.byteLength} of the file's ${appended.byteLength} bytes: something was added after signing`],
  });
});

test('a file signed with another certificate is reported as such; an unsigned file as unsigned', async () => {
  const signed = await sign(other);
  expect(await pdfsig('other', signed)).toContain('Signer Certificate Common Name: Not The District Community Partnerships Office');
  expect(checkPdfSignature(signed, district.certificates[0]!)).toMatchObject({
    intact: true,
    coversWholeFile: true,
    byDistrictCertificate: false,
    problems: ['signed by "CN=Not The District Community Partnerships Office, O=Not The District", not by the district certificate'],
  });
  expect(checkPdfSignature(await letter(), district.certificates[0]!)).toMatchObject({
    signed: false,
    problems: ['the file carries no digital signature'],
  });
});

/** A district CA and a signing certificate it issued, as a PKCS#12 holding the key, the certificate and the CA. */
function issuedByCa(): { ca: Buffer; p12: Uint8Array } {
  const keys = () => forge.pki.rsa.generateKeyPair({ bits: 1024, e: 0x10001 });
  const [caKeys, leafKeys] = [keys(), keys()];
  const make = (subject: string, publicKey: forge.pki.PublicKey, issuer: string, signer: forge.pki.rsa.PrivateKey, serial: string) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = publicKey;
    certificate.serialNumber = serial;
    certificate.validity.notBefore = new Date(Date.now() - 60_000);
    certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
    certificate.setSubject([{ name: 'commonName', value: subject }]);
    certificate.setIssuer([{ name: 'commonName', value: issuer }]);
    certificate.sign(signer, forge.md.sha256.create());
    return certificate;
  };
  const ca = make('District CA', caKeys.publicKey, 'District CA', caKeys.privateKey, '01');
  const leaf = make('District signing', leafKeys.publicKey, 'District CA', caKeys.privateKey, '02');
  const p12 = forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(leafKeys.privateKey, [leaf, ca], '', { algorithm: '3des' })).getBytes();
  return { ca: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(ca)).getBytes(), 'binary'), p12: Buffer.from(p12, 'binary') };
}

test('a signature by a certificate the configured district CA issued passes; checked against another certificate it does not', async () => {
  const { ca, p12 } = issuedByCa();
  const signed = await sign(readSigningCredential(p12, ''));
  expect(checkPdfSignature(signed, ca)).toMatchObject({
    intact: true,
    coversWholeFile: true,
    byDistrictCertificate: true,
    signer: 'CN=District signing',
    problems: [],
  });
  expect(checkPdfSignature(signed, district.certificates[0]!)).toMatchObject({ byDistrictCertificate: false });
});

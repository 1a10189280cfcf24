import { createHash, verify, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { fromDer, issuerAndSerial, toDer } from '../activities/pdf/cms-der';
import { OID } from '../activities/pdf/create-cades-signature';
import { subjectOf } from '../security/signing-credential';

export interface TPdfSignatureCheck {
  /** The file carries a signature dictionary with a byte range and contents. */
  signed: boolean;
  /** The signed bytes hash to the signature's message digest, and the signature over it verifies. */
  intact: boolean;
  /** The byte range starts at 0 and ends at the end of the file: nothing was appended after signing. */
  coversWholeFile: boolean;
  /** Made by the configured district certificate, or by a certificate that chains to it. */
  byDistrictCertificate: boolean;
  /** The subject of the certificate that made the signature, when it can be read. */
  signer?: string;
  /** What failed, in human terms; empty when every check passed. */
  problems: string[];
}

const DIGESTS: Record<string, string> = { [OID.sha256]: 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };
const oidOf = (node: forge.asn1.Asn1): string => forge.asn1.derToOid(node.value as string);
const children = (node: forge.asn1.Asn1): forge.asn1.Asn1[] => node.value as forge.asn1.Asn1[];
const bytesOf = (node: forge.asn1.Asn1): Buffer => Buffer.from(node.value as string, 'binary');

/**
 * Offline, with nothing but the file and the district certificate: is the last signature in the PDF intact, does
 * it cover the whole file, and did the district (or a certificate issued under it) make it?
 */
export function checkPdfSignature(bytes: Uint8Array, districtCertificate: Buffer): TPdfSignatureCheck {
  const file = Buffer.from(bytes);
  const unsigned = (problem: string): TPdfSignatureCheck => ({
    signed: false,
    intact: false,
    coversWholeFile: false,
    byDistrictCertificate: false,
    problems: [problem],
  });
  const ranges = [...file.toString('latin1').matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = ranges.at(-1);
  if (!last) return unsigned('the file carries no digital signature');
  const [start, firstLength, secondStart, secondLength] = last.slice(1).map(Number) as [number, number, number, number];
  const contents = file.subarray(start + firstLength, secondStart).toString('latin1');
  if (start !== 0 || secondStart + secondLength > file.length || !/^<[0-9a-fA-F]+>$/.test(contents)) {
    return unsigned("the signature's byte range does not fit the file");
  }

  const problems: string[] = [];
  const coversWholeFile = secondStart + secondLength === file.length;
  if (!coversWholeFile)
    problems.push(
      `the signature covers ${secondStart + secondLength} of the file's ${file.length} bytes: something was added after signing`,
    );
  let signer: X509Certificate | undefined;
  let intact = false;
  let byDistrictCertificate = false;
  try {
    const signedData = children(children(fromDer(Buffer.from(contents.slice(1, -1), 'hex')))[1]!)[0]!;
    const parts = children(signedData);
    const carried = parts.find((part) => part.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && part.type === forge.asn1.Type.NONE);
    const certificates = carried ? children(carried) : [];
    const signerInfo = children(parts.at(-1)!)[0]!;
    const [, signerId, digestAlgorithm, attributes, , signature] = children(signerInfo);
    const [wantedIssuer, wantedSerial] = children(signerId!).map(toDer) as [Buffer, Buffer];
    const signerNode = certificates.find((certificate) => {
      const { issuer, serial } = issuerAndSerial(certificate);
      return toDer(issuer).equals(wantedIssuer) && toDer(serial).equals(wantedSerial);
    });
    if (!signerNode) throw new Error('the signature does not carry the certificate that made it');
    signer = new X509Certificate(toDer(signerNode));
    const hash = DIGESTS[oidOf(children(digestAlgorithm!)[0]!)];
    if (!hash) throw new Error('the signature uses a digest algorithm this check does not know');
    const digest = createHash(hash)
      .update(file.subarray(0, firstLength))
      .update(file.subarray(secondStart, secondStart + secondLength))
      .digest();
    const messageDigest = children(attributes!).find((attribute) => oidOf(children(attribute)[0]!) === OID.messageDigest);
    const signedAttributes = toDer(attributes!);
    signedAttributes[0] = 0x31; // signed as a SET OF, stored as [0] IMPLICIT
    intact =
      Boolean(messageDigest) &&
      bytesOf(children(children(messageDigest!)[1]!)[0]!).equals(digest) &&
      verify(hash, signedAttributes, signer.publicKey, bytesOf(signature!));
    if (!intact) problems.push('the signature is broken: the file was changed after it was signed');
    byDistrictCertificate = chainsTo(
      signer,
      certificates.map((node) => new X509Certificate(toDer(node))),
      new X509Certificate(districtCertificate),
    );
    if (!byDistrictCertificate) problems.push(`signed by "${subjectOf(signer)}", not by the district certificate`);
  } catch (error) {
    problems.push(`the signature cannot be read: ${(error as Error).message}`);
  }
  return { signed: true, intact, coversWholeFile, byDistrictCertificate, ...(signer ? { signer: subjectOf(signer) } : {}), problems };
}

/** The signer is the district certificate, or each certificate up from it is issued (and signed) by the next. */
function chainsTo(signer: X509Certificate, carried: X509Certificate[], district: X509Certificate): boolean {
  let current = signer;
  for (let depth = 0; depth < 8; depth++) {
    if (current.raw.equals(district.raw)) return true;
    if (current.checkIssued(district) && current.verify(district.publicKey)) return true;
    const next = carried.find(
      (candidate) => !candidate.raw.equals(current.raw) && current.checkIssued(candidate) && current.verify(candidate.publicKey),
    );
    if (!next) return false;
    current = next;
  }
  return false;
}

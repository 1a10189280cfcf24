import { createHash, sign } from 'node:crypto';
import forge from 'node-forge';
import type { TSigningCredential } from '../../security/signing-credential';
import { fromDer, issuerAndSerial, toDer } from './cms-der';

const { asn1 } = forge;
const { Class, Type } = asn1;

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

const seq = (...items: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
const set = (...items: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, items);
const oid = (id: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: Buffer) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes.toString('binary'));
const integer = (value: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(value).getBytes());
const algorithm = (id: string) => seq(oid(id), asn1.create(Class.UNIVERSAL, Type.NULL, false, ''));
const attribute = (id: string, value: forge.asn1.Asn1) => toDer(seq(oid(id), set(value)));

/**
 * A detached CMS SignedData as PAdES baseline (ETSI.CAdES.detached) wants it: content type, message digest and the
 * ESS signing-certificate-v2 as signed attributes, no signing-time attribute (the time is the signature
 * dictionary's /M). RSA PKCS#1 v1.5 is deterministic, so the same bytes and key give the same signature.
 */
export function createCadesSignature(signedBytes: Buffer, credential: TSigningCredential): Buffer {
  const [signerDer, ...chain] = credential.certificates;
  const signer = fromDer(signerDer!);
  const { issuer, serial } = issuerAndSerial(signer);

  const signedAttributes = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(createHash('sha256').update(signedBytes).digest())),
    // ESSCertIDv2 with the default hash (SHA-256) omitted, as DER requires.
    attribute(OID.signingCertificateV2, seq(seq(seq(octets(createHash('sha256').update(signerDer!).digest()))))),
  ].sort((a, b) => Buffer.compare(a, b));
  // The signature covers the attributes as a DER SET OF; in SignerInfo they are [0] IMPLICIT.
  const attributesSet = Buffer.concat([derHeader(0x31, signedAttributes), ...signedAttributes]);
  const signature = sign('sha256', attributesSet, credential.privateKey);
  const attributesImplicit = Buffer.from(attributesSet);
  attributesImplicit[0] = 0xa0;

  const signerInfo = seq(
    integer(1),
    seq(issuer, serial),
    algorithm(OID.sha256),
    fromDer(attributesImplicit),
    algorithm(OID.rsaEncryption),
    octets(signature),
  );
  const signedData = seq(
    integer(1),
    set(algorithm(OID.sha256)),
    seq(oid(OID.data)),
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [signer, ...chain.map(fromDer)]),
    set(signerInfo),
  );
  return toDer(seq(oid(OID.signedData), asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [signedData])));
}

/** The DER tag and length of a constructed value made of `parts`. */
function derHeader(tag: number, parts: Buffer[]): Buffer {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  if (length < 0x80) return Buffer.from([tag, length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
}

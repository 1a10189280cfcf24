import forge from 'node-forge';

/** DER bytes to forge's ASN.1 tree and back; trailing bytes (a signature placeholder's zero padding) are ignored. */
export const fromDer = (bytes: Buffer): forge.asn1.Asn1 =>
  // The typings know only the older boolean argument; forge 1.3+ takes these options.
  (forge.asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { parseAllBytes: boolean }) => forge.asn1.Asn1)(
    forge.util.createBuffer(bytes.toString('binary')),
    { parseAllBytes: false },
  );
export const toDer = (node: forge.asn1.Asn1): Buffer => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');

/** A certificate's issuer and serial number, as a CMS SignerInfo names its signer (IssuerAndSerialNumber). */
export function issuerAndSerial(certificate: forge.asn1.Asn1): { issuer: forge.asn1.Asn1; serial: forge.asn1.Asn1 } {
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, …
  const fields = (certificate.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[];
  const offset = fields[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  return { serial: fields[offset]!, issuer: fields[offset + 2]! };
}

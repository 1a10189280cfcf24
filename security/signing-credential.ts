import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** The district's signing key and certificate chain, read once from a PKCS#12 file. */
export interface TSigningCredential {
  privateKey: KeyObject;
  /** DER certificates: the signer's first, then the chain it came with. */
  certificates: Buffer[];
  /** The signer certificate's subject as people read it, e.g. `CN=…, O=…`. */
  subject: string;
  /** Who signs, for the PDF's signature dictionary: the certificate's common name (or its subject). */
  name: string;
  validTo: Date;
}

/** A certificate's subject as people read it: `CN=…, O=…`. */
export const subjectOf = (certificate: X509Certificate): string => certificate.subject.split('\n').join(', ');

/**
 * Reads a PKCS#12 file. Throws a plain message (no field name: the caller knows which variable it came from) when
 * the passphrase is wrong, the file holds no key or no matching certificate, or the certificate is not valid now.
 */
export function readSigningCredential(p12: Uint8Array, passphrase: string, now = new Date()): TSigningCredential {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(
      forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary'))),
      false,
      passphrase,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      /mac|password|decrypt|invalid/i.test(message)
        ? 'cannot be opened: wrong passphrase or not a PKCS#12 file'
        : `is not a PKCS#12 file (${message})`,
      {
        cause: error,
      },
    );
  }
  const bags = (type: string): forge.pkcs12.Bag[] => parsed.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bags(forge.pki.oids.keyBag!)].find((bag) => bag.key);
  if (!keyBag?.key) throw new Error('holds no private key');
  const key = keyBag.key;
  const certificates = bags(forge.pki.oids.certBag!).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const signer = certificates.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(key.n) && publicKey.e?.equals(key.e);
  });
  if (!signer) throw new Error('holds no certificate for its private key');
  const toDer = (cert: forge.pki.Certificate) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const der = [signer, ...certificates.filter((cert) => cert !== signer)].map(toDer);
  const x509 = new X509Certificate(der[0]!);
  const validFrom = new Date(x509.validFrom);
  const validTo = new Date(x509.validTo);
  if (now > validTo) throw new Error(`holds a certificate that expired on ${validTo.toISOString()}`);
  if (now < validFrom) throw new Error(`holds a certificate not valid before ${validFrom.toISOString()}`);
  const subject = subjectOf(x509);
  return {
    privateKey: createPrivateKey(forge.pki.privateKeyToPem(key)),
    certificates: der,
    subject,
    name: /^CN=(.*)$/m.exec(x509.subject)?.[1] ?? subject,
    validTo,
  };
}

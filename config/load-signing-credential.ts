import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { readSigningCredential, type TSigningCredential } from '../security/signing-credential';
import { ConfigError, type TEnv } from './env';

export const EMBEDDED_P12_FILE = 'district-signing.p12';

/**
 * The district's certificate that signs every executed document. Production requires CPO_SIGNING_P12_FILE or
 * CPO_SIGNING_P12_BASE64 (and CPO_SIGNING_P12_PASSPHRASE when the file has one); the embedded default generates a
 * self-signed certificate once into the data folder, without a passphrase (the file is mode 0600).
 */
export function loadSigningCredential(env: TEnv, district: string, now = new Date()): TSigningCredential {
  const [variable, p12] = configuredP12(env);
  if (p12) return readOrExplain(variable, p12, env.CPO_SIGNING_P12_PASSPHRASE ?? '', now);
  if (env.CPO_MODE === 'production') {
    throw new ConfigError(
      'Invalid configuration: CPO_SIGNING_P12_FILE (or CPO_SIGNING_P12_BASE64) is required when CPO_MODE=production: the district certificate (PKCS#12) that signs executed documents',
    );
  }
  const file = path.join(env.CPO_DATA_DIR, EMBEDDED_P12_FILE);
  return readOrExplain(`${file} (generated)`, readOrCreate(file, district, now), '', now);
}

function configuredP12(env: TEnv): [string, Uint8Array | undefined] {
  if (env.CPO_SIGNING_P12_BASE64) return ['CPO_SIGNING_P12_BASE64', Buffer.from(env.CPO_SIGNING_P12_BASE64, 'base64')];
  if (!env.CPO_SIGNING_P12_FILE) return ['', undefined];
  try {
    return ['CPO_SIGNING_P12_FILE', readFileSync(env.CPO_SIGNING_P12_FILE)];
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: CPO_SIGNING_P12_FILE: cannot read ${env.CPO_SIGNING_P12_FILE} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function readOrExplain(variable: string, p12: Uint8Array, passphrase: string, now: Date): TSigningCredential {
  try {
    return readSigningCredential(p12, passphrase, now);
  } catch (error) {
    const hint = /passphrase/.test((error as Error).message) ? ' (check CPO_SIGNING_P12_PASSPHRASE)' : '';
    throw new ConfigError(`Invalid configuration: ${variable}: ${(error as Error).message}${hint}`);
  }
}

function readOrCreate(file: string, district: string, now: Date): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const p12 = createSelfSignedP12(district, now);
  try {
    writeFileSync(file, p12, { mode: 0o600, flag: 'wx' });
    return p12;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file);
    throw error;
  }
}

/** A self-signed district certificate (RSA 2048, ten years) with the key usages signature verifiers expect. */
export function createSelfSignedP12(district: string, now = new Date(), { validDays = 3650, passphrase = '' } = {}): Uint8Array {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  certificate.validity.notBefore = new Date(now.getTime() - 60_000);
  certificate.validity.notAfter = new Date(now.getTime() + validDays * 86_400_000);
  const subject = [
    { name: 'commonName', value: `${district} Community Partnerships Office` },
    { name: 'organizationName', value: district },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [certificate], passphrase, { algorithm: 'aes256', friendlyName: district });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

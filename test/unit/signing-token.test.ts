import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../config/env';
import { loadSigningSecret } from '../../config/signing-secret';
import { createSigningToken, signingClaimsToWire, verifySigningToken, type TSigningClaims } from '../../security/signing-token';

const secret = 's'.repeat(40);
const claims: TSigningClaims = {
  contractId: 'reading-2026',
  role: 'partner',
  email: 'lan@hoi.example',
  requestNumber: 1,
  expiresAt: 2_000_000_000,
};

test('a token verifies with its secret until it expires, and carries its claims', () => {
  const token = createSigningToken(claims, secret);
  expect(verifySigningToken(token, secret, 1_900_000_000_000)).toEqual({ ok: true, claims });
  expect(verifySigningToken(token, secret, 2_000_000_000_000)).toEqual({ ok: false, reason: 'expired' });
});

test('another secret, a changed claim or a damaged token is refused', () => {
  const token = createSigningToken(claims, secret);
  const [, mac] = token.split('.');
  const changed = `${Buffer.from(JSON.stringify(signingClaimsToWire({ ...claims, requestNumber: 2 }))).toString('base64url')}.${mac}`;
  expect(verifySigningToken(token, 't'.repeat(40), 0)).toEqual({ ok: false, reason: 'forged' });
  expect(verifySigningToken(changed, secret, 0)).toEqual({ ok: false, reason: 'forged' });
  for (const damaged of ['', 'abc', `${token}x`, token.replace('.', '')]) {
    expect(verifySigningToken(damaged, secret, 0).ok).toBe(false);
  }
});

test('only the exact MAC text verifies: last characters that decode to the same bytes are refused', () => {
  const token = createSigningToken(claims, secret);
  const last = token.at(-1)!;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // The 43rd character carries 4 bits of the MAC and 2 spare bits: these 3 others decode to the same bytes.
  const sameBytes = [...alphabet].filter((c) => c !== last && alphabet.indexOf(c) >> 2 === alphabet.indexOf(last) >> 2);
  expect(sameBytes).toHaveLength(3);
  for (const c of sameBytes) {
    const altered = `${token.slice(0, -1)}${c}`;
    expect(Buffer.from(altered.split('.')[1]!, 'base64url')).toEqual(Buffer.from(token.split('.')[1]!, 'base64url'));
    expect(verifySigningToken(altered, secret, 0)).toEqual({ ok: false, reason: 'forged' });
  }
});

test('production refuses to start without a signing secret; the embedded default makes one once and keeps it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'secret-'));
  expect(() => loadSigningSecret(parseEnv({ CPO_MODE: 'production', CPO_DATA_DIR: dataDir }))).toThrow(
    'CPO_SIGNING_SECRET is required when CPO_MODE=production',
  );
  expect(() => parseEnv({ CPO_SIGNING_SECRET: 'short' })).toThrow(/CPO_SIGNING_SECRET: must be at least 32 characters/);
  expect(loadSigningSecret(parseEnv({ CPO_MODE: 'production', CPO_SIGNING_SECRET: secret }))).toBe(secret);

  const embedded = parseEnv({ CPO_DATA_DIR: dataDir });
  const generated = loadSigningSecret(embedded);
  expect(generated).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(loadSigningSecret(embedded)).toBe(generated);
  const file = path.join(dataDir, 'signing-secret');
  expect(readFileSync(file, 'utf8')).toBe(generated);
  expect(statSync(file).mode & 0o077).toBe(0); // readable by its owner only
});

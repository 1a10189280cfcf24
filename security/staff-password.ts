import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Node's default; passed explicitly so the check in parseStaffPasswordHash and the call agree.
const SCRYPT_MAXMEM = 32 * 1024 * 1024;
// The base64url lengths of a 16-byte salt and a 32-byte hash.
const HASH_FORMAT = /^scrypt\$([1-9]\d{0,7})\$([1-9]\d{0,2})\$([1-9]\d{0,2})\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

interface TParsedHash {
  cost: typeof COST;
  salt: Buffer;
  hash: Buffer;
}

/** Null unless `stored` is a hash scrypt can recompute within its memory limit. */
function parseStaffPasswordHash(stored: string): TParsedHash | null {
  const match = HASH_FORMAT.exec(stored);
  if (!match) return null;
  const [, N, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  const powerOfTwo = cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  // OpenSSL's memory estimate for scrypt.
  if (!powerOfTwo || 128 * cost.r * (cost.N + cost.p + 2) > SCRYPT_MAXMEM) return null;
  return { cost, salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url') };
}

const scrypt = (password: string, salt: Buffer, cost: typeof COST): Buffer =>
  scryptSync(password, salt, KEY_LENGTH, { ...cost, maxmem: SCRYPT_MAXMEM });

/** `scrypt$<N>$<r>$<p>$<base64url salt>$<base64url hash>` */
export function hashStaffPassword(password: string): string {
  const salt = randomBytes(SALT_LENGTH);
  const hash = scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export function verifyStaffPassword(password: string, stored: string): boolean {
  const parsed = parseStaffPasswordHash(stored);
  if (!parsed) return false;
  return timingSafeEqual(scrypt(password, parsed.salt, parsed.cost), parsed.hash);
}

export const ZStaffPasswordHashSchema = z
  .string()
  .refine((stored) => parseStaffPasswordHash(stored) !== null, 'must be a hash made by `npm run cpo -- staff-password`');

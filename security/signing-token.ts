import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { SIGNER_ROLES } from '../domain/vocabulary';

/**
 * What a signing link or reply address grants: one signer role of one contract, for one request number,
 * until a moment. On the wire the keys are one letter, to keep links short; links already sent carry them.
 */
export const ZSigningWireSchema = z.object({
  c: ZIdSchema,
  r: z.enum(SIGNER_ROLES),
  e: ZEmailSchema,
  n: z.number().int().positive(),
  x: z.number().int().positive(),
});
type TSigningWire = z.infer<typeof ZSigningWireSchema>;

export const ZSigningClaimsSchema = z.object({
  contractId: ZIdSchema,
  role: z.enum(SIGNER_ROLES),
  email: ZEmailSchema,
  requestNumber: z.number().int().positive(),
  /** Seconds since the epoch. */
  expiresAt: z.number().int().positive(),
});
export type TSigningClaims = z.infer<typeof ZSigningClaimsSchema>;

/** The claims as the token carries them (tests build damaged tokens from it). */
export const signingClaimsToWire = (claims: TSigningClaims): TSigningWire => ({
  c: claims.contractId,
  r: claims.role,
  e: claims.email,
  n: claims.requestNumber,
  x: claims.expiresAt,
});
const fromWire = (wire: TSigningWire): TSigningClaims => ({
  contractId: wire.c,
  role: wire.r,
  email: wire.e,
  requestNumber: wire.n,
  expiresAt: wire.x,
});

export type TTokenCheck = { ok: true; claims: TSigningClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const mac = (payload: string, secret: string): Buffer => createHmac('sha256', secret).update(payload).digest();

/** `<base64url claims>.<base64url HMAC-SHA256>` */
export function createSigningToken(claims: TSigningClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(ZSigningWireSchema.parse(signingClaimsToWire(ZSigningClaimsSchema.parse(claims))))).toString(
    'base64url',
  );
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

export function verifySigningToken(token: string, secret: string, nowMs: number): TTokenCheck {
  const match = /^([A-Za-z0-9_-]{10,1000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  // Compared as text: base64url leaves spare bits in the last character, so decoding first would let a few
  // altered links through (same MAC bytes, different token).
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(payload, secret).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  let claims: TSigningClaims;
  try {
    claims = fromWire(ZSigningWireSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ZEmailSchema, ZNameSchema } from '../domain/schemas/common';
import { ZStaffAccessSchema, type TStaffAccess } from '../domain/staff-access';

export const STAFF_SESSION_COOKIE = 'cpo_staff';
const EIGHT_HOURS_MS = 8 * 60 * 60 * 1000;

/** Who an identity-provider user is: they are not in the staff file, so the session carries it. */
const ZSessionIdentitySchema = z.object({ name: ZNameSchema, email: ZEmailSchema, access: ZStaffAccessSchema });
export type TSessionIdentity = { name: string; email: string; access: TStaffAccess };

const ZStaffSessionClaimsSchema = z.object({
  u: z.string().min(1),
  x: z.number().int().positive(),
  i: ZSessionIdentitySchema.optional(),
});

export interface TStaffSession {
  username: string;
  expiresAtMs: number;
  /** Set for identity-provider users; staff-file users are looked up by username. */
  identity?: TSessionIdentity;
}

// The prefix keeps a MAC made for another purpose with the same secret (a signing link) from passing as a session.
const mac = (payload: string, secret: string): Buffer => createHmac('sha256', secret).update(`staff-session:${payload}`).digest();

/** Cookie value `<base64url {u, x}>.<base64url HMAC-SHA256>`, x being the expiry in epoch ms. */
export function issueStaffSession(
  secret: string,
  username: string,
  nowMs: number,
  lifetimeMs = EIGHT_HOURS_MS,
  identity?: TSessionIdentity,
): string {
  const claims = ZStaffSessionClaimsSchema.parse({ u: username, x: nowMs + lifetimeMs, ...(identity ? { i: identity } : {}) });
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** Null for a missing, malformed, forged or expired cookie value. */
export function readStaffSession(secret: string, value: string | undefined, nowMs: number): TStaffSession | null {
  const match = /^([A-Za-z0-9_-]{10,3000})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: z.infer<typeof ZStaffSessionClaimsSchema>;
  try {
    claims = ZStaffSessionClaimsSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (claims.x <= nowMs) return null;
  return { username: claims.u, expiresAtMs: claims.x, ...(claims.i ? { identity: claims.i } : {}) };
}

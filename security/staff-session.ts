import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const STAFF_SESSION_COOKIE = 'cpo_staff';
const EIGHT_HOURS_MS = 8 * 60 * 60 * 1000;

const ZStaffSessionClaimsSchema = z.object({
  u: z.string().min(1),
  x: z.number().int().positive(),
});

export interface TStaffSession {
  username: string;
  expiresAtMs: number;
}

// The prefix keeps a MAC made for another purpose with the same secret (a signing link) from passing as a session.
const mac = (payload: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(`staff-session:${payload}`).digest();

/** Cookie value `<base64url {u, x}>.<base64url HMAC-SHA256>`, x being the expiry in epoch ms. */
export function issueStaffSession(secret: string, username: string, nowMs: number, lifetimeMs = EIGHT_HOURS_MS): string {
  const claims = ZStaffSessionClaimsSchema.parse({ u: username, x: nowMs + lifetimeMs });
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

/** Null for a missing, malformed, forged or expired cookie value. */
export function readStaffSession(secret: string, value: string | undefined, nowMs: number): TStaffSession | null {
  const match = /^([A-Za-z0-9_-]{10,1000})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
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
  return { username: claims.u, expiresAtMs: claims.x };
}

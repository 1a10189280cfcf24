import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/**
 * Signed, expiring tokens for links and reply addresses other than contract signatures: attestation and
 * affirmation signing, approvals, application confirmations, partner status pages. Each purpose has its own
 * key derived from the signing secret, so a token made for one purpose never verifies as another.
 * The claims must include `x`, the expiry in seconds since the epoch. The schema given is the wire's (one-letter
 * keys keep links short); each token file decodes its claims into named fields (`decodeClaims`).
 */
export type TPurpose = 'attestation' | 'agency-record' | 'approval' | 'apply-confirm' | 'partner-status' | 'oidc-sign-in';

export type TPurposeTokenCheck<T> = { ok: true; claims: T } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const keyFor = (purpose: TPurpose, secret: string): Buffer => createHmac('sha256', secret).update(`cpo-token:${purpose}`).digest();
const mac = (purpose: TPurpose, payload: string, secret: string): string =>
  createHmac('sha256', keyFor(purpose, secret)).update(payload).digest('base64url');

/** `<base64url claims>.<base64url HMAC-SHA256>` */
export function createPurposeToken<S extends z.ZodType<{ x: number }>>(
  purpose: TPurpose,
  schema: S,
  claims: z.input<S>,
  secret: string,
): string {
  const payload = Buffer.from(JSON.stringify(schema.parse(claims))).toString('base64url');
  return `${payload}.${mac(purpose, payload, secret)}`;
}

export function verifyPurposeToken<S extends z.ZodType<{ x: number }>>(
  purpose: TPurpose,
  schema: S,
  token: string,
  secret: string,
  nowMs: number,
): TPurposeTokenCheck<z.output<S>> {
  const match = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  // Compared as text: base64url leaves spare bits in the last character (see signing-token.ts).
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(purpose, payload, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  const parsed = schema.safeParse(safeJson(Buffer.from(payload, 'base64url').toString('utf8')));
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  if (parsed.data.x * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims: parsed.data };
}

/** A verified token's wire claims decoded into named fields; a refusal as it is. */
export function decodeClaims<W, T>(check: TPurposeTokenCheck<W>, decode: (wire: W) => T): TPurposeTokenCheck<T> {
  return check.ok ? { ok: true, claims: decode(check.claims) } : check;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

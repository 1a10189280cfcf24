import { z } from 'zod';
import { createPurposeToken, verifyPurposeToken } from '../../security/purpose-token';

const ZClaimsSchema = z.object({ p: z.string(), x: z.number().int().positive() });
const SECRET = 'a-test-secret-of-enough-length-0123456789';
const NOW = Date.parse('2026-12-02T12:00:00Z');
const claims = { p: 'lantern-arts', x: NOW / 1000 + 3600 };

describe('purpose tokens', () => {
  it('verifies its own purpose and returns the claims', () => {
    const token = createPurposeToken('partner-status', ZClaimsSchema, claims, SECRET);
    expect(verifyPurposeToken('partner-status', ZClaimsSchema, token, SECRET, NOW)).toEqual({ ok: true, claims });
  });

  it('never verifies as another purpose or with another secret', () => {
    const token = createPurposeToken('partner-status', ZClaimsSchema, claims, SECRET);
    expect(verifyPurposeToken('attestation', ZClaimsSchema, token, SECRET, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(verifyPurposeToken('partner-status', ZClaimsSchema, token, `${SECRET}x`, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses an altered, expired or malformed token', () => {
    const token = createPurposeToken('approval', ZClaimsSchema, claims, SECRET);
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyPurposeToken('approval', ZClaimsSchema, `${token.slice(0, -1)}${last}`, SECRET, NOW).ok).toBe(false);
    expect(verifyPurposeToken('approval', ZClaimsSchema, token, SECRET, claims.x * 1000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyPurposeToken('approval', ZClaimsSchema, 'not a token', SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    const wrongShape = createPurposeToken('approval', z.object({ q: z.number(), x: z.number() }), { q: 1, x: claims.x }, SECRET);
    expect(verifyPurposeToken('approval', ZClaimsSchema, wrongShape, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

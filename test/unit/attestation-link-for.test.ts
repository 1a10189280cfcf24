import { durationToMs } from '../../domain/durations';
import type { TAttestationRequest, TPartnerStatus } from '../../domain/schemas/partner';
import { attestationHashOf, verifyAttestationToken } from '../../security/attestation-token';
import { attestationLinkFor } from '../../server/partner-front/attestation-link-for';
import { testPolicy } from '../helpers/temporal';

const secret = 'unit-test-signing-secret-0123456789abcdef';
const policy = testPolicy();
const expireAfterMs = durationToMs(policy.signature.expireAfter);
const request = (schoolYear: string, sha: string, requestedAt: string, extra: Partial<TAttestationRequest> = {}): TAttestationRequest => ({
  schoolYear,
  requestedAt,
  document: { sha256: sha.repeat(64), filename: 'attestation.pdf', key: `k-${sha}`, bytes: 1 } as never,
  ...extra,
});
const partnerWith = (attestationRequests: TAttestationRequest[]) =>
  ({ partnerId: 'lantern-arts', representative: { email: 'Lan@Lantern.example' }, attestationRequests }) as unknown as TPartnerStatus;
const item = (schoolYear: string | null) => ({ kind: 'safety_attestation' as const, schoolYear, label: 'safety protocol attestation' });
const linkFor = attestationLinkFor(policy, secret);
const claimsOf = (link: string | undefined) => {
  const checked = verifyAttestationToken(link!.replace(/^\/attest\//, ''), secret, Date.now());
  if (!checked.ok) throw new Error(`not a valid token: ${checked.reason}`);
  return checked.claims;
};

describe('the partner page’s attestation link', () => {
  const recently = new Date(Date.now() - 60_000).toISOString();

  it('carries the token of the year’s latest request, as its email does: request number, form hash, deadline', () => {
    const first = request('2026-2027', 'a', new Date(Date.now() - 120_000).toISOString());
    const latest = request('2026-2027', 'b', recently);
    const link = linkFor(partnerWith([first, request('2027-2028', 'c', recently), latest]), item('2026-2027'));
    expect(link).toMatch(/^\/attest\/[A-Za-z0-9_.-]+$/);
    expect(claimsOf(link)).toEqual({
      partnerId: 'lantern-arts',
      schoolYear: '2026-2027',
      email: 'Lan@Lantern.example',
      requestNumber: 2,
      formHash: attestationHashOf(latest.document.sha256),
      expiresAt: Math.floor((Date.parse(recently) + expireAfterMs) / 1000),
    });
    expect(claimsOf(linkFor(partnerWith([first, request('2027-2028', 'c', recently)]), item('2027-2028'))).requestNumber).toBe(1);
  });

  it('gives no link when no request is open: none sent, expired, past its deadline; nor for other records', () => {
    expect(linkFor(partnerWith([]), item('2026-2027'))).toBeUndefined();
    expect(linkFor(partnerWith([request('2026-2027', 'a', recently, { expiredAt: recently })]), item('2026-2027'))).toBeUndefined();
    const longAgo = new Date(Date.now() - expireAfterMs - 1000).toISOString();
    expect(linkFor(partnerWith([request('2026-2027', 'a', longAgo)]), item('2026-2027'))).toBeUndefined();
    expect(
      linkFor(partnerWith([request('2026-2027', 'a', recently)]), { ...item(null), kind: 'background_check_affirmation' }),
    ).toBeUndefined();
  });

  it('links the latest request of any year when the attestation is kept once for the agency', () => {
    expect(claimsOf(linkFor(partnerWith([request('2026-2027', 'a', recently)]), item(null))).schoolYear).toBe('2026-2027');
  });
});

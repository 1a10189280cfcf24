import type { TAgencyRecordRequest, TPartnerStatus } from '../../domain/schemas/partner';
import { verifyAgencyRecordToken } from '../../security/agency-record-token';
import { affirmationLinkFor, agencySigningLinkFor } from '../../server/partner-front/affirmation-link-for';
import { testPolicy } from '../helpers/temporal';

const secret = 'unit-test-signing-secret-0123456789abcdef';
const hourFromNow = new Date(Date.now() + 3_600_000).toISOString();
const request = (
  kind: TAgencyRecordRequest['kind'],
  schoolYear: string | null,
  extra: Partial<TAgencyRecordRequest> = {},
): TAgencyRecordRequest => ({
  kind,
  schoolYear,
  requestedAt: new Date().toISOString(),
  deadline: hourFromNow,
  ...extra,
});
const partnerWith = (recordRequests: TAgencyRecordRequest[]) =>
  ({
    partnerId: 'lantern-arts',
    representative: { email: 'Lan@Lantern.example' },
    attestationRequests: [],
    recordRequests,
  }) as unknown as TPartnerStatus;
const item = (kind: TAgencyRecordRequest['kind'] | 'safety_attestation', schoolYear: string | null) => ({ kind, schoolYear, label: kind });
const linkFor = affirmationLinkFor(secret);
const claimsOf = (link: string | undefined) => {
  const checked = verifyAgencyRecordToken(link!.replace(/^\/affirm\//, ''), secret, Date.now());
  if (!checked.ok) throw new Error(`not a valid token: ${checked.reason}`);
  return checked.claims;
};

describe('the partner page’s affirmation link', () => {
  it('carries the token of the record’s latest request, as its email does: kind, school year, request number, deadline', () => {
    const partner = partnerWith([
      request('data_sharing_agreement', null),
      request('background_check_affirmation', '2026-2027'),
      request('data_sharing_agreement', null),
    ]);
    expect(claimsOf(linkFor(partner, item('data_sharing_agreement', null)))).toEqual({
      partnerId: 'lantern-arts',
      kind: 'data_sharing_agreement',
      schoolYear: null,
      email: 'Lan@Lantern.example',
      requestNumber: 2,
      expiresAt: Math.floor(Date.parse(hourFromNow) / 1000),
    });
    expect(claimsOf(linkFor(partner, item('background_check_affirmation', '2026-2027')))).toMatchObject({
      schoolYear: '2026-2027',
      requestNumber: 1,
    });
  });

  it('gives no link when no request is open: none sent, expired, past its deadline, another school year; nor for the attestation', () => {
    expect(linkFor(partnerWith([]), item('data_sharing_agreement', null))).toBeUndefined();
    expect(
      linkFor(
        partnerWith([request('data_sharing_agreement', null, { expiredAt: new Date().toISOString() })]),
        item('data_sharing_agreement', null),
      ),
    ).toBeUndefined();
    expect(
      linkFor(
        partnerWith([request('data_sharing_agreement', null, { deadline: new Date(Date.now() - 1000).toISOString() })]),
        item('data_sharing_agreement', null),
      ),
    ).toBeUndefined();
    expect(
      linkFor(partnerWith([request('background_check_affirmation', '2026-2027')]), item('background_check_affirmation', '2027-2028')),
    ).toBeUndefined();
    expect(linkFor(partnerWith([request('data_sharing_agreement', null)]), item('safety_attestation', null))).toBeUndefined();
  });

  it('is chosen by kind beside the attestation link', () => {
    const both = agencySigningLinkFor(testPolicy(), secret);
    expect(both(partnerWith([request('data_sharing_agreement', null)]), item('data_sharing_agreement', null))).toMatch(/^\/affirm\//);
    expect(both(partnerWith([request('data_sharing_agreement', null)]), item('safety_attestation', '2026-2027'))).toBeUndefined();
  });
});

import type { TAgencyItemToSign } from '../../domain/list-agency-items-to-sign';
import type { TPolicy } from '../../domain/policy';
import { recordRequestsOf } from '../../domain/record-requests-of';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import { createAgencyRecordToken } from '../../security/agency-record-token';
import { attestationLinkFor } from './attestation-link-for';

type TLinkFor = (partner: TPartnerStatus, item: Omit<TAgencyItemToSign, 'link'>) => string | undefined;

/**
 * The partner page's link to the affirmation page (`/affirm/<token>`) of the item's current request: the same token as
 * its email (kind, school year, request number, deadline). No link when no request is open (none sent yet, expired or
 * past its deadline): the office sends one.
 */
export const affirmationLinkFor =
  (signingSecret: string): TLinkFor =>
  (partner, item) => {
    if (item.kind === 'safety_attestation') return undefined;
    const requests = recordRequestsOf(partner, item);
    const current = requests.at(-1);
    if (!current || current.expiredAt || Date.parse(current.deadline) <= Date.now()) return undefined;
    const claims = {
      partnerId: partner.partnerId,
      kind: item.kind,
      schoolYear: item.schoolYear,
      email: partner.representative.email,
      requestNumber: requests.length,
      expiresAt: Math.floor(Date.parse(current.deadline) / 1000),
    };
    return `/affirm/${createAgencyRecordToken(claims, signingSecret)}`;
  };

/** The partner page's signing link of any agency item: the attestation page or the affirmation page. */
export function agencySigningLinkFor(policy: TPolicy, signingSecret: string): TLinkFor {
  const attestation = attestationLinkFor(policy, signingSecret);
  const affirmation = affirmationLinkFor(signingSecret);
  return (partner, item) => (item.kind === 'safety_attestation' ? attestation(partner, item) : affirmation(partner, item));
}

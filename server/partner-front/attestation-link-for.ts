import type { TAgencyItemToSign } from '../../domain/list-agency-items-to-sign';
import { durationToMs } from '../../domain/durations';
import type { TPolicy } from '../../domain/policy';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import { createAttestationRequestToken } from '../../security/attestation-token';

/**
 * The partner page's link to the attestation page (`/attest/<token>`) of the current request of the item's school
 * year: the same token as its email (same request number, form hash and deadline), so it works exactly as the emailed
 * link does. No link when no request is open (none sent yet, expired or replaced): the office sends one.
 */
export const attestationLinkFor =
  (policy: TPolicy, signingSecret: string) =>
  (partner: TPartnerStatus, item: Omit<TAgencyItemToSign, 'link'>): string | undefined => {
    if (item.kind !== 'safety_attestation') return undefined;
    const current = partner.attestationRequests.filter((r) => item.schoolYear === null || r.schoolYear === item.schoolYear).at(-1);
    if (!current || current.expiredAt) return undefined;
    const deadlineMs = Date.parse(current.requestedAt) + durationToMs(policy.signature.expireAfter);
    if (deadlineMs <= Date.now()) return undefined;
    const token = createAttestationRequestToken(
      {
        partnerId: partner.partnerId,
        schoolYear: current.schoolYear,
        email: partner.representative.email,
        requestNumber: partner.attestationRequests.filter((r) => r.schoolYear === current.schoolYear).length,
        documentSha256: current.document.sha256,
        deadline: new Date(deadlineMs).toISOString(),
      },
      signingSecret,
    );
    return `/attest/${token}`;
  };

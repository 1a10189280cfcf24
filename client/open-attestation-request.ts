import type { TCpoContext } from './context';
import type { TAttestationRequest, TPartnerStatus } from '../domain/schemas/partner';
import type { TPartnerStage } from '../domain/vocabulary';
import { findPartnerStatus } from './find-partner-status';
import { attestationHashOf, verifyAttestationToken, type TAttestationClaims } from '../security/attestation-token';

/** Why an attestation token (link or reply address) cannot be used now. */
export type TAttestationRefusal =
  | { reason: 'malformed' | 'forged' | 'expired' }
  | { reason: 'not_found' | 'already_signed' | 'superseded' | 'not_representative'; claims: TAttestationClaims }
  | { reason: 'not_awaited'; stage: TPartnerStage; claims: TAttestationClaims };

export type TOpenedAttestation =
  { ok: true; claims: TAttestationClaims; status: TPartnerStatus; request: TAttestationRequest } | ({ ok: false } & TAttestationRefusal);

const SIGNABLE_STAGES: TPartnerStage[] = ['applied', 'in_review', 'certified'];

/**
 * The attestation form a token points at, or why it cannot be used: forged, expired, malformed, a form that is not
 * this partner's for this school year, already signed for the year, replaced by a newer request, a representative
 * who changed, or a partnership that ended. Shared by the page and the reply listener, so both refuse the same cases;
 * the workflow's update validator checks again when the signature is sent. An outage throws (shown as "try again").
 */
export async function openAttestationRequest(
  context: TCpoContext,
  secret: string,
  token: string,
  nowMs = Date.now(),
): Promise<TOpenedAttestation> {
  const check = verifyAttestationToken(token, secret, nowMs);
  if (!check.ok) return { ok: false, reason: check.reason };
  const { claims } = check;
  const status = await findPartnerStatus(context, claims.partnerId);
  if (!status) return { ok: false, reason: 'not_found', claims };
  const sameYear = status.attestationRequests.filter((r) => r.schoolYear === claims.schoolYear);
  const request = sameYear.find((r) => attestationHashOf(r.document.sha256) === claims.formHash);
  if (!request) return { ok: false, reason: 'not_found', claims };
  if (status.attestations.some((a) => a.schoolYear === claims.schoolYear)) return { ok: false, reason: 'already_signed', claims };
  if (sameYear.at(-1) !== request) return { ok: false, reason: 'superseded', claims };
  if (status.representative.email.toLowerCase() !== claims.email.toLowerCase()) return { ok: false, reason: 'not_representative', claims };
  if (!SIGNABLE_STAGES.includes(status.stage)) return { ok: false, reason: 'not_awaited', stage: status.stage, claims };
  return { ok: true, claims, status, request };
}

import type { TCpoContext } from './context';
import type { TAgencyRecordRequest, TPartnerStatus } from '../domain/schemas/partner';
import { recordRequestsOf } from '../domain/record-requests-of';
import { findPartnerStatus } from './find-partner-status';
import { verifyAgencyRecordToken, type TAgencyRecordClaims } from '../security/agency-record-token';

export type TOpenedAgencyRecord =
  | { ok: true; claims: TAgencyRecordClaims; status: TPartnerStatus; request: TAgencyRecordRequest }
  | {
      ok: false;
      reason: 'malformed' | 'forged' | 'expired' | 'not_found' | 'superseded' | 'already_on_file' | 'not_representative' | 'not_awaited';
    };

const ACTIVE_STAGES = ['applied', 'in_review', 'certified'];

/**
 * The agency record request an affirmation token points at, or why it cannot be used: forged, expired, malformed, no
 * such request of this partner (kind, school year, request number), replaced by a resend, already on file, a
 * representative who changed, or a partnership that ended. The workflow's update validator checks again when it is
 * recorded. An outage throws ("try again").
 */
export async function openAgencyRecordRequest(
  context: TCpoContext,
  secret: string,
  token: string,
  nowMs = Date.now(),
): Promise<TOpenedAgencyRecord> {
  const check = verifyAgencyRecordToken(token, secret, nowMs);
  if (!check.ok) return { ok: false, reason: check.reason };
  const { claims } = check;
  const status = await findPartnerStatus(context, claims.partnerId);
  if (!status) return { ok: false, reason: 'not_found' };
  const requests = recordRequestsOf(status, { kind: claims.kind, schoolYear: claims.schoolYear });
  const request = requests[claims.requestNumber - 1];
  if (!request) return { ok: false, reason: 'not_found' };
  if (status.records.some((r) => r.kind === claims.kind && r.schoolYear === claims.schoolYear))
    return { ok: false, reason: 'already_on_file' };
  if (request !== requests.at(-1)) return { ok: false, reason: 'superseded' };
  if (request.expiredAt) return { ok: false, reason: 'expired' };
  if (status.representative.email.toLowerCase() !== claims.email.toLowerCase()) return { ok: false, reason: 'not_representative' };
  if (!ACTIVE_STAGES.includes(status.stage)) return { ok: false, reason: 'not_awaited' };
  return { ok: true, claims, status, request };
}

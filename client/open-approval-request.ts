import type { TCpoContext } from './context';
import type { TContractStatus } from '../domain/schemas/contract';
import type { TContractStage } from '../domain/vocabulary';
import { verifyApprovalToken, type TApprovalClaims } from '../security/approval-token';
import { statusForToken } from './open-signing-request';

/** Why an approval token (link or reply address) cannot be used now. */
export type TApprovalRefusal =
  | { reason: 'malformed' | 'forged' | 'expired' }
  /** The token is genuine; its claims say which contract and request it names. */
  | { reason: 'not_found' | 'superseded' | 'not_the_approver'; claims: TApprovalClaims }
  | { reason: 'already_approved'; claims: TApprovalClaims; approvedBy: string }
  | { reason: 'not_awaited'; stage: TContractStage; claims: TApprovalClaims; closedReason: string | null };

export type TOpenedApproval = { ok: true; claims: TApprovalClaims; status: TContractStatus } | ({ ok: false } & TApprovalRefusal);

/**
 * The approval request a token points at, or why it cannot be used: forged, expired, malformed, unknown contract,
 * already approved, sent back or otherwise closed, not the current request, or an approver the contract does not
 * name. Shared by the approval page and the email-reply listener so both refuse the same cases; the workflow's
 * update validator checks again, atomically. An outage throws CpoUnavailableError ("try again").
 */
export async function openApprovalRequest(
  context: TCpoContext,
  secret: string,
  token: string,
  nowMs = Date.now(),
): Promise<TOpenedApproval> {
  const check = verifyApprovalToken(token, secret, nowMs);
  if (!check.ok) return { ok: false, reason: check.reason };
  const { claims } = check;
  const status = await statusForToken(context, claims.contractId);
  if (!status) return { ok: false, reason: 'not_found', claims };
  const { approval } = status;
  if (!approval || approval.approverEmail.toLowerCase() !== claims.email.toLowerCase())
    return { ok: false, reason: 'not_the_approver', claims };
  if (approval.approvedBy) return { ok: false, reason: 'already_approved', claims, approvedBy: approval.approvedBy };
  if (status.stage !== 'initiated')
    return { ok: false, reason: 'not_awaited', stage: status.stage, claims, closedReason: status.closedReason };
  if (approval.requestNumber !== claims.requestNumber) return { ok: false, reason: 'superseded', claims };
  return { ok: true, claims, status };
}

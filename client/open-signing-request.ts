import type { TCpoContext } from './context';
import { getContractStatus } from './contracts';
import { CpoNotFoundError } from './errors';
import type { TContractStatus } from '../domain/schemas/contract';
import type { TContractStage } from '../domain/vocabulary';
import { verifySigningToken, type TSigningClaims } from '../security/signing-token';

/** Why a signing token (link or reply address) cannot be used now. */
export type TOpenRefusal =
  | { reason: 'malformed' | 'forged' | 'expired' }
  /** The token is genuine and current; its claims say which contract, role and request it names. */
  | { reason: 'not_found' | 'already_signed' | 'superseded'; claims: TSigningClaims }
  | { reason: 'not_awaited'; stage: TContractStage; claims: TSigningClaims };

export type TOpenedRequest = { ok: true; claims: TSigningClaims; status: TContractStatus } | ({ ok: false } & TOpenRefusal);

/**
 * How long the contract's status may take. A workflow whose worker is down gets no answer at all; the server says
 * so after a while, the person waits at most this long before being told to try again.
 */
const STATUS_DEADLINE_MS = 10_000;

/**
 * The signature request a token points at, or why it cannot be used: forged, expired, malformed, unknown
 * contract, already signed with it, superseded by a resend, or the contract is not waiting for this role.
 * Shared by the signing pages and the email-reply listener so that both refuse exactly the same cases.
 * The workflow's update validator checks again, atomically, when the signature is sent.
 * An outage (server or worker down) is not an answer: it throws CpoUnavailableError, to be shown as "try again".
 */
export async function openSigningRequest(context: TCpoContext, secret: string, token: string, nowMs = Date.now()): Promise<TOpenedRequest> {
  const check = verifySigningToken(token, secret, nowMs);
  if (!check.ok) return { ok: false, reason: check.reason };
  const { claims } = check;
  const status = await statusForToken(context, claims.contractId);
  if (!status) return { ok: false, reason: 'not_found', claims };
  if (status.signatures.some((s) => s.role === claims.role && s.requestNumber === claims.requestNumber))
    return { ok: false, reason: 'already_signed', claims };
  if (status.requestNumber !== claims.requestNumber) return { ok: false, reason: 'superseded', claims };
  if (status.signing?.role !== claims.role) return { ok: false, reason: 'not_awaited', stage: status.stage, claims };
  return { ok: true, claims, status };
}

/**
 * The status of the contract a token names, or null when there is no such contract (shared by signing and approval
 * tokens). Only a missing contract is "not found"; a server that did not answer is "try again" (503, SMTP 451).
 */
export async function statusForToken(context: TCpoContext, contractId: string): Promise<TContractStatus | null> {
  try {
    return await context.client.connection.withDeadline(Date.now() + STATUS_DEADLINE_MS, () => getContractStatus(context, contractId));
  } catch (error) {
    if (error instanceof CpoNotFoundError) return null;
    throw error;
  }
}

import type { TReplyPrefix } from '../domain/vocabulary';
import { handleAffirmationReply, type TAffirmationReplyOutcome } from './handle-affirmation-reply';
import { handleAttestationReply, type TAttestationReplyOutcome } from './handle-attestation-reply';
import type { TReplyHandlerDeps } from './send-answer';
import type { TInboundMessage } from './reply-sender';
import { handleApprovalReply, type TApprovalReplyOutcome } from './handle-approval-reply';
import { handleSigningReply } from './handle-signing-reply';
import type { TSigningReplyOutcome } from './decide-signing-reply';

export type { TReplyHandlerDeps };

export type { TInboundMessage };

export type TReplyOutcome =
  'not_a_reply_address' | TSigningReplyOutcome | TApprovalReplyOutcome | TAttestationReplyOutcome | TAffirmationReplyOutcome;

export interface TReplyResult {
  outcome: TReplyOutcome;
  contractId?: string;
  /** Set for replies to attestation and agency record requests. */
  partnerId?: string;
  /** Where the automatic answer went, if one did. */
  answeredTo?: string;
}

/** The token of `<prefix>+<token>@<replyDomain>` (`sign+` by default), or undefined for any other address. */
export function tokenOfReplyAddress(address: string, replyDomain: string, prefix: TReplyPrefix = 'sign'): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return new RegExp(`^${prefix}\\+(.+)$`, 'i').exec(address.slice(0, at))?.[1];
}

/** Never log a token: it grants the right to sign. */
export const redactReplyAddress = (address: string): string => address.replace(/^((?:sign|approve|attest|record)\+)[^@]*/i, '$1[token]');

/**
 * Handles one received reply to signature requests: for each `sign+<token>` recipient, opens the request (the
 * same checks as the signing page), checks the sender, reads the reply and signs, declines, or answers what is
 * missing. Refusals and answers change nothing. Throws only on unexpected failures (Temporal unreachable), so
 * the SMTP layer can answer 451 and the sending server tries again later.
 */
export async function handleReply(deps: TReplyHandlerDeps, message: TInboundMessage): Promise<TReplyResult[]> {
  const log = deps.log ?? (() => undefined);
  const sender = message.envelopeFrom.toLowerCase();
  const results: TReplyResult[] = [];
  const seen = new Set<string>();
  for (const recipient of message.recipients) {
    const token = tokenOfReplyAddress(recipient, deps.replyDomain);
    const approvalToken = token ? undefined : tokenOfReplyAddress(recipient, deps.replyDomain, 'approve');
    const shown = redactReplyAddress(recipient);
    if (approvalToken) {
      if (seen.has(approvalToken)) continue;
      seen.add(approvalToken);
      const result = await handleApprovalReply(deps, message, approvalToken);
      log(`[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.contractId ? ` (contract ${result.contractId})` : ''}`);
      results.push(result);
      continue;
    }
    const attestationToken = tokenOfReplyAddress(recipient, deps.replyDomain, 'attest');
    const recordToken = tokenOfReplyAddress(recipient, deps.replyDomain, 'record');
    const partnerToken = attestationToken ?? recordToken;
    if (partnerToken && !seen.has(partnerToken)) {
      seen.add(partnerToken);
      const result = attestationToken
        ? await handleAttestationReply(deps, message, attestationToken)
        : await handleAffirmationReply(deps, message, partnerToken);
      log(
        `[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.partnerId ? ` (partner ${result.partnerId})` : ''}${result.answeredTo ? `, answered ${result.answeredTo}` : ''}`,
      );
      results.push(result);
      continue;
    }
    if (!token) {
      results.push({ outcome: 'not_a_reply_address' });
      continue;
    }
    if (seen.has(token)) continue;
    seen.add(token);
    const result = await handleSigningReply(deps, message, token);
    log(
      `[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.contractId ? ` (contract ${result.contractId})` : ''}${
        result.answeredTo ? `, answered ${result.answeredTo}` : ''
      }`,
    );
    results.push(result);
  }
  return results;
}

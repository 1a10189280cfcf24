import { redactReplyTokens, replyTokenOf } from './reply-address';
import { REPLY_KINDS, type TReplyResult } from './reply-kinds';
import type { TInboundMessage } from './reply-sender';
import type { TReplyHandlerDeps } from './send-answer';

export type { TReplyOutcome, TReplyResult } from './reply-kinds';
export type { TReplyHandlerDeps, TInboundMessage };

const describeResult = (result: TReplyResult): string =>
  [
    result.outcome,
    result.contractId ? ` (contract ${result.contractId})` : '',
    result.partnerId ? ` (partner ${result.partnerId})` : '',
    result.answeredTo ? `, answered ${result.answeredTo}` : '',
  ].join('');

/**
 * Handles one received reply: each reply address it was sent to (signature, approval, attestation or agency record
 * request) once, by its kind's handler, which opens the request (the same checks as its page), checks the sender,
 * reads the reply and records it or answers what is missing. Refusals and answers change nothing. Throws only on
 * unexpected failures (Temporal unreachable), so the SMTP layer can answer 451 and the sending server tries again.
 */
export async function handleReply(deps: TReplyHandlerDeps, message: TInboundMessage): Promise<TReplyResult[]> {
  const sender = message.envelopeFrom.toLowerCase() || '<>';
  const results: TReplyResult[] = [];
  const seen = new Set<string>();
  for (const recipient of message.recipients) {
    const found = replyTokenOf(recipient, deps.replyDomain);
    if (!found) {
      results.push({ outcome: 'not_a_reply_address' });
      continue;
    }
    if (seen.has(found.token)) continue;
    seen.add(found.token);
    const result = await REPLY_KINDS[found.prefix].handle(deps, message, found.token);
    deps.log?.(`[reply] to ${redactReplyTokens(recipient)} from ${sender}: ${describeResult(result)}`);
    results.push(result);
  }
  return results;
}

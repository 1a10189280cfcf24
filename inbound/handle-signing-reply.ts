import { replyAddressFor } from '../activities/send-notification';
import { declineContract, signContract } from '../client/contracts';
import { isRefusal } from '../client/errors';
import { openSigningRequest } from '../client/open-signing-request';
import { verifySigningToken, type TSigningClaims } from '../security/signing-token';
import { decideSigningReply, type TSignerAnswer, type TSigningReplyOutcome, type TSigningReplyPlan } from './decide-signing-reply';
import type { TInboundMessage } from './reply-sender';
import { screenReply } from './screen-reply';
import { refusedReplyText, sendAnswer, type TReplyHandlerDeps } from './send-answer';

export interface TSigningReplyResult {
  outcome: TSigningReplyOutcome;
  contractId?: string;
  /** Where the automatic answer went, if one did. */
  answeredTo?: string;
}

/**
 * One reply to a `sign+<token>` address: screened, the request opened (the same checks as the signing page), then
 * decided (decide-signing-reply.ts), acted on and answered. Throws only on unexpected failures (Temporal
 * unreachable), so the SMTP layer can answer 451 and the sending server tries again later.
 */
export async function handleSigningReply(deps: TReplyHandlerDeps, message: TInboundMessage, token: string): Promise<TSigningReplyResult> {
  // The listener refused a token that does not verify at RCPT TO; one that expired since gets no answer either.
  const screened = screenReply(message, verifySigningToken(token, deps.signingSecret, Date.now()));
  if (!screened.ok) return { outcome: screened.outcome, ...(screened.claims ? { contractId: screened.claims.contractId } : {}) };
  const { claims } = screened;
  const plan = decideSigningReply(message, await openSigningRequest(deps.context, deps.signingSecret, token, Date.now()));
  if (plan.action === 'none') return { outcome: plan.outcome, contractId: claims.contractId };
  const answer = await act(deps, claims, plan);
  const answeredTo = await answerSigner(deps, message, claims, token, answer);
  return { outcome: answer.outcome, contractId: claims.contractId, ...(answeredTo ? { answeredTo } : {}) };
}

/** Records the signature or decline the plan holds; the answer to send, a refusal's if the workflow refused. */
async function act(
  deps: TReplyHandlerDeps,
  claims: TSigningClaims,
  plan: Exclude<TSigningReplyPlan, { action: 'none' }>,
): Promise<TSignerAnswer> {
  try {
    if (plan.action === 'sign')
      await signContract(deps.context, claims.contractId, { ...plan.signature, consent: true, method: 'email_reply' });
    if (plan.action === 'decline') await declineContract(deps.context, claims.contractId, plan.decline);
    return plan.answer;
  } catch (error) {
    // The workflow's validator refused (a resend or the other signer got there first): nothing changed. An outage
    // is thrown on, so that the sender's server gets 451 and sends the reply again.
    if (!isRefusal(error)) throw error;
    return { outcome: 'refused', subject: 'Reply refused', text: refusedReplyText(error), replyTo: 'office' };
  }
}

/**
 * Answers go to the signer's own address only. Replying to an answer about what was missing reaches this request
 * again; replying to a confirmation or a refusal reaches the office.
 */
function answerSigner(deps: TReplyHandlerDeps, message: TInboundMessage, claims: TSigningClaims, token: string, answer: TSignerAnswer) {
  const replyTo = answer.replyTo === 'request' ? (replyAddressFor(token, deps.replyDomain) ?? deps.mailFrom) : deps.mailFrom;
  const { outcome, subject, text, attachContract, confirmsRecord } = answer;
  return sendAnswer(deps, claims, message.parsed.messageId, {
    outcome,
    subject,
    text,
    replyTo,
    ...(attachContract ? { attachContract } : {}),
    ...(confirmsRecord ? { confirmsRecord } : {}),
  });
}

import { normalize, reasonGiven } from './read-reply';
import { stripQuoted } from './strip-quoted';

/**
 * How an emailed reply to an approval request is read. Pure. The rules are the ones the request email and the
 * automatic answers describe:
 * 1. Only the new text counts (quoted original removed, as for signature replies).
 * 2. Approving: "I approve" / "we approve" (optionally "hereby" or "do" between), with no negation within two words
 *    before "approve".
 * 3. Sending back: "send back" / "send it back" / "sent back", or a negated approval ("I do not approve", "cannot
 *    approve"). It needs a reason: a line `Reason: …`, or at least two other words; the reason recorded is that line,
 *    or else the whole new text.
 * 4. Both, or neither, is unclear: nothing moves and the approver gets an answer.
 */
export type TApprovalReplyDecision =
  | { action: 'approve' }
  | { action: 'send_back'; reason: string }
  | { action: 'answer'; problem: 'unclear' | 'conflicting' | 'send_back_without_reason' };

const APPROVE = /\b(?:i|we)\s+(?:hereby\s+|do\s+)?approve\b/;
const NEGATED = /(?:\bnot|\bnever|\bcannot|\bcan't|\bdon't|\bwon't|\bdoesn't|\bdidn't)\s+(?:[\w']+\s+){0,2}approve\b/;
const SEND_BACK = /\bsend(?:ing)?\s+(?:it\s+|this\s+|the\s+contract\s+)?back\b|\bsent\s+back\b/;
/** The words that say "send back", removed before counting the words of a reason. */
const SEND_BACK_PHRASE =
  /\b(?:(?:i|we)\s+)?(?:(?:do\s+not|don't|cannot|can't|will\s+not|won't|never)\s+approve(?:\s+(?:it|this|the\s+contract|this\s+contract))?|(?:please\s+)?send(?:ing)?\s+(?:it\s+|this\s+|the\s+contract\s+)?back|sent\s+back)\b/g;

export function readApprovalReply(input: { text: string; sent?: readonly string[] }): TApprovalReplyDecision {
  const text = stripQuoted(input.text, input.sent);
  const words = normalize(text);
  const refuses = NEGATED.test(words) || SEND_BACK.test(words);
  const approves = APPROVE.test(words) && !NEGATED.test(words);
  if (approves && refuses) return { action: 'answer', problem: 'conflicting' };
  if (approves) return { action: 'approve' };
  if (!refuses) return { action: 'answer', problem: 'unclear' };
  const reason = reasonGiven(text, SEND_BACK_PHRASE);
  return reason ? { action: 'send_back', reason } : { action: 'answer', problem: 'send_back_without_reason' };
}

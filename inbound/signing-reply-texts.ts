import type { TOpenRefusal } from '../client/open-signing-request';
import type { TContractStatus } from '../domain/schemas/contract';
import type { TSigningClaims } from '../security/signing-token';
import type { TReplyDecision } from './read-reply';

export type TReplyProblem = Extract<TReplyDecision, { action: 'answer' }>['problem'];
/** Refusals of a genuine token; the listener refuses the others at RCPT TO, so nothing is sent for them. */
export type TGenuineRefusal = Exclude<TOpenRefusal, { reason: 'malformed' | 'forged' | 'expired' }>;

const REFUSALS: Record<TGenuineRefusal['reason'], string> = {
  not_found: 'This reply address points at a contract that does not exist.',
  already_signed: 'This contract was already signed for this request. You will receive the final signed contract by email.',
  superseded:
    'A newer signature request replaced the one you replied to. Reply to the most recent signature request email (or use its signing link) instead.',
  not_awaited: 'This contract is not waiting for this signature.',
};

/** Why a genuine token's request cannot be signed now, as the answer says it. */
export function refusalText(refusal: TGenuineRefusal): string {
  if (refusal.reason === 'not_awaited') return `${REFUSALS.not_awaited} It is ${refusal.stage.replace(/_/g, ' ')}.`;
  if (refusal.reason === 'already_signed') return REFUSALS.already_signed;
  return `${REFUSALS[refusal.reason]} Nothing was recorded.`;
}

export const NOT_AWAITED_TEXT = `${REFUSALS.not_awaited} Nothing was recorded.`;

const ASK =
  'To sign by email, reply to the signature request email from the address it was sent to, with the words "I agree to sign" and your full name on a line of its own, such as "Name: …" (and "Title: …" if you like); or return the contract PDF attached to the request unchanged. You can also use the signing link in the request email.';

/** What the reply lacked, and how to reply instead. */
export function problemText(problem: TReplyProblem, claims: TSigningClaims, status: TContractStatus): string {
  const contract = `contract ${claims.contractId} (request #${claims.requestNumber})`;
  switch (problem) {
    case 'unclear':
      return `Your reply did not say that you agree to sign ${contract}, so nothing was recorded. ${ASK}${
        claims.role === 'partner' ? ' To decline instead, reply with "I decline" and the reason.' : ''
      }`;
    case 'conflicting':
      return `Your reply both agrees to sign and declines ${contract}, so nothing was recorded. Reply again with only one of them: "I agree to sign" with your full name ("Name: …"), or "I decline" with the reason.`;
    case 'decline_without_reason':
      return `To decline ${contract}, please say why: reply with "I decline" and the reason, for example on a line "Reason: …". Nothing was recorded yet.`;
    case 'different_pdf':
      return `The PDF attached to your reply is not the contract on record for ${contract} (its SHA-256 fingerprint differs from ${status.signing?.document.sha256 ?? 'the one on record'}), so nothing was recorded. The district records signatures only on the document it sent. Return the attached PDF unchanged, or reply with "I agree to sign" and your full name ("Name: …") without attaching a changed file. If the contract needs changes, contact the Community Partnerships Office.`;
    case 'district_cannot_decline':
      return `Only the partner can decline a contract; nothing was recorded for ${contract}. To stop it, the Community Partnerships Office can void it.`;
  }
}

import { replyAddressFor } from '../activities/send-notification';
import { approveContract, sendBackContract } from '../client/contracts';
import { isRefusal } from '../client/errors';
import { approvalRequestMarker } from '../domain/email-text';
import { verifyApprovalToken, type TApprovalClaims } from '../security/approval-token';
import { openApprovalRequest, type TApprovalRefusal } from '../client/open-approval-request';
import { readApprovalReply, type TApprovalReplyDecision } from './read-approval-reply';
import type { TInboundMessage } from './reply-sender';
import { screenReply } from './screen-reply';
import { answerReply, refusedReplyText, type TReplyHandlerDeps } from './send-answer';

export type TApprovalReplyOutcome =
  | 'approved'
  | 'sent_back'
  | 'ignored_automatic'
  | 'wrong_sender'
  | 'refused'
  | TApprovalRefusal['reason']
  | Extract<TApprovalReplyDecision, { action: 'answer' }>['problem'];

export interface TApprovalReplyResult {
  outcome: TApprovalReplyOutcome;
  contractId?: string;
  answeredTo?: string;
}

const HOW =
  'To approve, reply to the approval request email from the address it was sent to with the words "I approve". To send the contract back instead, reply with "send back" and the reason, for example on a line "Reason: …". You can also use the link in the approval request email.';

function refusalText(refusal: Extract<TApprovalRefusal, { claims: TApprovalClaims }>): string {
  switch (refusal.reason) {
    case 'not_found':
      return 'This reply address points at a contract that does not exist. Nothing was recorded.';
    case 'not_the_approver':
      return 'This contract does not wait for an approval from your address. Nothing was recorded.';
    case 'superseded':
      return 'A newer approval request replaced the one you replied to. Reply to the most recent approval request email instead. Nothing was recorded.';
    case 'already_approved':
      return `This contract was already approved by ${refusal.approvedBy}. Nothing more is needed from you.`;
    case 'not_awaited':
      return `This contract no longer waits for approval: it is ${refusal.stage.replace(/_/g, ' ')}${refusal.closedReason ? ` (${refusal.closedReason})` : ''}. Nothing was recorded.`;
  }
}

function problemText(problem: Extract<TApprovalReplyDecision, { action: 'answer' }>['problem'], contract: string): string {
  switch (problem) {
    case 'unclear':
      return `Your reply did not say whether you approve ${contract}, so nothing was recorded. ${HOW}`;
    case 'conflicting':
      return `Your reply both approves ${contract} and sends it back, so nothing was recorded. Reply again with only one of them: "I approve", or "send back" with the reason.`;
    case 'send_back_without_reason':
      return `To send ${contract} back, please say why: reply with "send back" and the reason, for example on a line "Reason: …". Nothing was recorded yet.`;
  }
}

/**
 * Handles one reply to an approval request (`approve+<token>@<replyDomain>`): the same checks as the approval page,
 * the sender must be the approver (envelope or From), then approves, sends back with the reason, or answers what is
 * missing and changes nothing. Throws only on an outage (Temporal unreachable), so the sender's server retries (451).
 */
export async function handleApprovalReply(deps: TReplyHandlerDeps, message: TInboundMessage, token: string): Promise<TApprovalReplyResult> {
  const { parsed } = message;
  const screened = screenReply(message, verifyApprovalToken(token, deps.signingSecret, Date.now()));
  if (!screened.ok) return { outcome: screened.outcome, ...(screened.claims ? { contractId: screened.claims.contractId } : {}) };
  const { claims } = screened;
  const contract = `contract ${claims.contractId} (approval request #${claims.requestNumber})`;
  const answer = answerReply<TApprovalReplyOutcome, { contractId: string }>(
    deps,
    claims,
    parsed.messageId,
    { contractId: claims.contractId },
    {
      subject: 'Not recorded',
      replyTo: replyAddressFor(token, deps.replyDomain, 'approve') ?? deps.mailFrom,
      requestName: 'approval request',
    },
  );

  const opened = await openApprovalRequest(deps.context, deps.signingSecret, token, Date.now());
  if (!opened.ok) {
    if (!('claims' in opened)) return { outcome: opened.reason, contractId: claims.contractId };
    return answer(opened.reason, refusalText(opened), { subject: 'Reply refused' });
  }
  const { status } = opened;
  const sent = [
    approvalRequestMarker(claims.requestNumber),
    `${status.request.initiatedBy.name} initiated the contract below.`,
    'This is reminder ',
  ];
  const decision = readApprovalReply({ text: parsed.text ?? '', sent });
  if (decision.action === 'answer') return answer(decision.problem, problemText(decision.problem, contract));

  const by = { name: status.approval?.approverName ?? claims.email, email: claims.email };
  const confirmed = { replyTo: deps.mailFrom, confirmsRecord: true };
  try {
    if (decision.action === 'approve') {
      await approveContract(deps.context, claims.contractId, { by, requestNumber: claims.requestNumber, method: 'email_reply' });
      return answer(
        'approved',
        `Thank you. Your approval of ${contract} is recorded; it goes to the partner for signature once the partner's records are on file.`,
        { subject: 'Approval recorded', ...confirmed },
      );
    }
    await sendBackContract(deps.context, claims.contractId, {
      by,
      reason: decision.reason,
      requestNumber: claims.requestNumber,
      method: 'email_reply',
    });
    return answer(
      'sent_back',
      `${contract} is sent back and voided, with your reason: "${decision.reason}". ${status.request.initiatedBy.name} is told by email.`,
      { subject: 'Sent back', ...confirmed },
    );
  } catch (error) {
    // The workflow's validator refused (someone answered first on the page): nothing changed. An outage is thrown on.
    if (!isRefusal(error)) throw error;
    return answer('refused', refusedReplyText(error), { subject: 'Reply refused', replyTo: deps.mailFrom });
  }
}

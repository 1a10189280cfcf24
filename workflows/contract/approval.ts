import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { durationToMs } from '../../domain/durations';
import { CpoNextDeadline } from '../../domain/search-attributes';
import type { TContractRun } from './contract-run';
import { movesByItselfAt } from './derived';
import { approvalEmail, firstApprovalEmail, notify } from './notifications';
import { close } from './transitions';
import { ContractClosed, msUntil, waitOrClose } from './wait-or-close';

/** Routes whose approver is not the initiator wait for the approval before anything else; a send-back closes the contract. */
export async function obtainApproval(run: TContractRun): Promise<void> {
  const approval = run.state.approval;
  if (!approval) return;
  if (patched('approval-by-link')) return requestApproval(run);
  // Contracts started before approval by link: one email, then the approval or a void, however long it takes.
  await notify(run, firstApprovalEmail(run, approval), 'approval_requested');
  await waitOrClose(run, () => approval.approvedBy !== null);
}

/**
 * Asks the approver by email (a link and a reply address bound to this request), reminds on the policy's
 * signature period with the same link, and expires the contract at the policy's deadline.
 */
async function requestApproval(run: TContractRun): Promise<void> {
  const approval = run.state.approval!;
  const { policy } = run;
  approval.requestNumber = (approval.requestNumber ?? 0) + 1;
  const requestNumber = approval.requestNumber;
  const sentMs = Date.now();
  const deadlineMs = sentMs + durationToMs(policy.signature.expireAfter);
  const remindMs = durationToMs(policy.signature.remindEvery);
  const deadline = new Date(deadlineMs).toISOString();
  approval.deadline = deadline;
  upsertSearchAttributes([{ key: CpoNextDeadline, value: movesByItselfAt(run) }]);
  await notify(run, approvalEmail(run, approval, requestNumber, deadline, 0), 'approval_requested');
  for (let reminders = 1; ; reminders++) {
    if (await waitOrClose(run, () => approval.approvedBy !== null, msUntil(Math.min(sentMs + reminders * remindMs, deadlineMs)))) return;
    if (Date.now() >= deadlineMs) {
      close(run, 'expired', `the approval by ${approval.approverEmail} was not received by ${deadline}`);
      throw new ContractClosed();
    }
    await notify(run, approvalEmail(run, approval, requestNumber, deadline, reminders), 'approval_reminder_sent');
  }
}

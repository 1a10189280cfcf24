import { ActivityFailure } from '@temporalio/workflow';
import { emailTextFor } from '../../domain/email-text';
import type { TAmendment, TApproval } from '../../domain/schemas/contract';
import type { TNotification } from '../../domain/schemas/notification';
import type { TSignerRole } from '../../domain/vocabulary';
import { mail } from '../activities';
import { idempotencyKey, nowIso } from '../support';
import type { TClosedStage, TContractRun, TSigningSubject } from './contract-run';
import { everyone, signerFor, summaryOf, unique } from './derived';
import { note } from './transitions';

/** Sends an email and records it; a failed delivery is recorded and shown as needing attention, never failing the flow. */
export async function notify(run: TContractRun, notification: TNotification, event: string): Promise<boolean> {
  const { policy, request, schoolYear, state } = run;
  const customText = emailTextFor(policy, notification.kind, {
    program: request.programName,
    organization: summaryOf(run).organizationName,
    schoolYear: schoolYear.name,
  });
  try {
    await mail.sendNotification(customText ? { ...notification, customText } : notification);
    note(run, event, notification.to.join(', '));
    return true;
  } catch (error) {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
    state.attention = `The ${notification.kind.replace(/_/g, ' ')} email to ${notification.to.join(', ')} could not be delivered: ${cause}`;
    note(run, 'email_failed', state.attention);
    return false;
  }
}

// The emails of the flow, one builder each; the same request's reminders share its number and deadline.

/** Before approval by link: one email, no number, no deadline. */
export const firstApprovalEmail = (run: TContractRun, approval: TApproval): TNotification => ({
  kind: 'approval_request',
  idempotencyKey: idempotencyKey('approval-request'),
  to: [approval.approverEmail],
  contract: summaryOf(run),
  approverEmail: approval.approverEmail,
  initiatedBy: run.request.initiatedBy.name,
});

export const approvalEmail = (
  run: TContractRun,
  approval: TApproval,
  requestNumber: number,
  deadline: string,
  reminderNumber: number,
): TNotification => ({
  kind: 'approval_request',
  idempotencyKey: idempotencyKey(`approval-request/${requestNumber}/reminder-${reminderNumber}`),
  to: [approval.approverEmail],
  contract: summaryOf(run),
  approverEmail: approval.approverEmail,
  initiatedBy: run.request.initiatedBy.name,
  requestNumber,
  deadline,
  reminderNumber,
});

/** A contract sent back goes to its initiator and the district signer with the reason; the partner was never asked. */
export function sentBackEmail(run: TContractRun): TNotification {
  const sentBack = run.state.approval!.sentBack!;
  return {
    kind: 'approval_sent_back',
    idempotencyKey: idempotencyKey('approval-sent-back'),
    to: unique([run.request.initiatedBy.email, run.districtSigner.email]),
    contract: summaryOf(run),
    sentBackBy: `${sentBack.by} <${sentBack.email}>`,
    reason: sentBack.reason,
  };
}

export function signatureEmail(
  run: TContractRun,
  role: TSignerRole,
  subject: TSigningSubject,
  requestNumber: number,
  deadline: string,
  reminderNumber: number,
): TNotification {
  const signer = signerFor(run, role);
  return {
    kind: 'signature_request',
    idempotencyKey: idempotencyKey(`signature-request/${requestNumber}/reminder-${reminderNumber}`),
    to: [signer.email],
    attachments: [subject.document],
    contract: summaryOf(run),
    signerName: signer.name,
    signerRole: role,
    requestNumber,
    deadline,
    documentSha256: subject.document.sha256,
    reminderNumber,
    ...(subject.amendment ? { amendmentNumber: subject.amendment.number } : {}),
  };
}

export const executedEmail = (run: TContractRun): TNotification => ({
  kind: 'contract_executed',
  idempotencyKey: idempotencyKey('executed'),
  to: everyone(run),
  attachments: [run.state.documents.executed!],
  contract: summaryOf(run),
  goLiveAt: run.state.goLiveAt,
});

export const amendmentExecutedEmail = (run: TContractRun, amendment: TAmendment): TNotification => ({
  kind: 'contract_executed',
  idempotencyKey: idempotencyKey(`amendment-${amendment.number}/executed`),
  to: everyone(run),
  attachments: [amendment.executed!],
  contract: summaryOf(run),
  goLiveAt: nowIso(),
  amendmentNumber: amendment.number,
});

export const liveEmail = (run: TContractRun): TNotification => ({
  kind: 'contract_live',
  idempotencyKey: idempotencyKey('live'),
  to: everyone(run),
  contract: summaryOf(run),
});

export function closedEmail(run: TContractRun): TNotification {
  const stage = run.state.stage as TClosedStage;
  return {
    kind: 'contract_closed',
    idempotencyKey: idempotencyKey(`closed-${stage}`),
    to: everyone(run),
    contract: summaryOf(run),
    stage,
    reason: run.state.closedReason ?? stage,
  };
}

/** Spring of the school year: ask whoever initiates the route whether the program continues next year. */
export function renewalEmail(run: TContractRun, reminderNumber: number): TNotification {
  const renewal = run.state.renewal!;
  return {
    kind: 'renewal_request',
    idempotencyKey: idempotencyKey(`renewal-request/${renewal.schoolYear}/reminder-${reminderNumber}`),
    to: [renewal.askedEmail],
    contract: summaryOf(run),
    nextSchoolYear: renewal.schoolYear,
    decideBy: new Date(run.endMs).toISOString(),
    reminderNumber,
  };
}

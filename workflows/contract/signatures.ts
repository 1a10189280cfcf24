import { condition, patched } from '@temporalio/workflow';
import { durationToMs } from '../../domain/durations';
import type { TSignerRole } from '../../domain/vocabulary';
import type { TContractRun, TSigningSubject } from './contract-run';
import { hasSigned, isClosed, signerFor } from './derived';
import { notify, signatureEmail } from './notifications';
import { close, closeAmendment, moveTo, note, recordSigningEvent } from './transitions';
import { msUntil } from './wait-or-close';

/** The partner signs first, then the district countersigns; false when the contract (or the amendment) closed instead. */
export async function collectSignatures(run: TContractRun, subject: TSigningSubject): Promise<boolean> {
  for (const role of ['partner', 'district'] as const) {
    if (!(await collectSignature(run, role, subject))) return false;
  }
  return true;
}

/** Asks for one signature until it comes or the contract (or amendment) closes; a resend starts a new request. */
async function collectSignature(run: TContractRun, role: TSignerRole, subject: TSigningSubject): Promise<boolean> {
  for (;;) {
    const outcome = await requestSignature(run, role, subject);
    if (outcome !== 'resend') {
      run.signingNow = null;
      // A resend accepted in the same moment as the answer lapses with its request, not labelling the next one.
      if (run.resendRequestedBy !== null && patched('resend-lapses-with-its-request')) {
        note(run, 'resend_lapsed', `request #${run.state.requestNumber} was answered first`, run.resendRequestedBy);
        run.resendRequestedBy = null;
      }
      return outcome === 'signed';
    }
  }
}

/** Sends a request, reminds on the policy's period, and expires the contract (or amendment) at the deadline. */
async function requestSignature(run: TContractRun, role: TSignerRole, subject: TSigningSubject): Promise<'signed' | 'closed' | 'resend'> {
  const { state, policy } = run;
  const resentBy = run.resendRequestedBy;
  run.resendRequestedBy = null;
  const signer = signerFor(run, role);
  const { amendment } = subject;
  state.requestNumber += 1;
  const requestNumber = state.requestNumber;
  const sentMs = Date.now();
  const expiresMs = sentMs + durationToMs(policy.signature.expireAfter);
  // An amendment's request ends with the contract's term at the latest: the end of the term wins.
  const endsWithTerm = amendment !== null && expiresMs > run.endMs && patched('amendment-ends-with-term');
  const deadlineMs = endsWithTerm ? run.endMs : expiresMs;
  const remindMs = durationToMs(policy.signature.remindEvery);
  const deadline = new Date(deadlineMs).toISOString();
  run.signingNow = { role, subject, deadline };
  const awaiting = role === 'partner' ? 'awaiting_partner_signature' : 'awaiting_district_signature';
  const event = resentBy ? 'signature_request_resent' : 'signature_requested';
  if (amendment) {
    amendment.status = awaiting;
    note(run, event, `amendment ${amendment.number}: ${signer.email}`, resentBy ?? undefined);
  } else {
    moveTo(run, awaiting, event, resentBy ?? undefined, signer.email);
  }
  const settled = (): boolean => isClosed(run) || (amendment !== null && amendment.status !== awaiting);

  // Recorded as issued before delivery, so the certificate lists it before any answer; a failed delivery shows as attention.
  recordSigningEvent(run, resentBy ? 'resent' : 'sent');
  await notify(run, signatureEmail(run, role, subject, requestNumber, deadline, 0), 'signature_request_sent');

  for (let reminders = 1; ; reminders++) {
    const wakeMs = Math.min(sentMs + reminders * remindMs, deadlineMs);
    const answered = await condition(() => hasSigned(run, role, subject) || settled() || run.resendRequestedBy !== null, msUntil(wakeMs));
    if (answered) return hasSigned(run, role, subject) && !settled() ? 'signed' : settled() ? 'closed' : 'resend';
    if (Date.now() >= deadlineMs) {
      const reason = endsWithTerm
        ? `the contract ended before the ${role} signature was received`
        : `the ${role} signature was not received by ${deadline}`;
      if (amendment) closeAmendment(run, amendment, 'expired', reason);
      else close(run, 'expired', reason);
      return 'closed';
    }
    recordSigningEvent(run, 'reminded', { detail: `reminder ${reminders}` });
    await notify(run, signatureEmail(run, role, subject, requestNumber, deadline, reminders), 'reminder_sent');
  }
}

import { setHandler } from '@temporalio/workflow';
import { durationToMs } from '../../domain/durations';
import { recordAttestationViewSignal, resendAttestationRequestUpdate } from '../../domain/messages';
import type { TPolicy } from '../../domain/policy';
import type { TDocumentRef } from '../../domain/schemas/common';
import { ZRecordAttestationViewSchema, ZResendAttestationRequestSchema, type TAttestationRequest, type TPartnerStatus } from '../../domain/schemas/partner';
import type { TPartnerStage } from '../../domain/vocabulary';
import { appendHistory, nowIso, parseUpdateInput, requireStage } from '../support';

/** What a request email says beyond its form: which request of the year, until when, which reminder. */
export interface TRequestEmail {
  requestNumber: number;
  deadline: string;
  reminderNumber: number;
}

export interface TAttestationFollowUpDeps {
  state: TPartnerStatus;
  policy: TPolicy;
  activeStages: readonly TPartnerStage[];
  /** Makes the school year's form (a new one has a new hash, so older links stop working). */
  makeForm: (schoolYear: string, requestNumber: number) => Promise<TDocumentRef>;
  send: (document: TDocumentRef, schoolYear: string, purpose: string, email: TRequestEmail) => Promise<void>;
}

/** A request's number within its school year: a resend is the next. */
export const requestNumberOf = (state: TPartnerStatus, request: TAttestationRequest): number =>
  state.attestationRequests.filter((r) => r.schoolYear === request.schoolYear).indexOf(request) + 1;

/**
 * Reminders, expiry, resends and views of attestation requests, following the policy's signature periods
 * (`signature.remindEvery`, `signature.expireAfter`). Every event is kept on the partner's history. Handlers are set
 * when this is created, before the workflow's first await.
 */
export function followUpAttestations({ state, policy, activeStages, makeForm, send }: TAttestationFollowUpDeps) {
  const remindEveryMs = durationToMs(policy.signature.remindEvery);
  const expireAfterMs = durationToMs(policy.signature.expireAfter);
  const yearsToResend: string[] = [];
  const signed = (year: string): boolean => state.attestations.some((a) => a.schoolYear === year);
  /** The latest request of each school year not signed yet and not expired. */
  const open = (): TAttestationRequest[] =>
    [...new Map(state.attestationRequests.map((r) => [r.schoolYear, r])).values()].filter((r) => !signed(r.schoolYear) && !r.expiredAt);
  const deadlineOf = (request: TAttestationRequest): number => Date.parse(request.requestedAt) + expireAfterMs;
  const nextReminderOf = (request: TAttestationRequest): number => Date.parse(request.requestedAt) + ((request.reminders ?? 0) + 1) * remindEveryMs;
  const dueAt = (request: TAttestationRequest): number => Math.min(deadlineOf(request), nextReminderOf(request));

  setHandler(
    resendAttestationRequestUpdate,
    ({ by }) => {
      const pending = state.attestationRequests.filter((r) => !signed(r.schoolYear)).at(-1)!;
      yearsToResend.push(pending.schoolYear);
      appendHistory(state.history, { event: 'attestation_resend_asked', stage: state.stage, actor: by.name, detail: pending.schoolYear });
      return requestNumberOf(state, pending) + 1;
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZResendAttestationRequestSchema, raw);
        requireStage(state.stage, activeStages, 'resend the attestation request');
        if (!state.attestationRequests.some((r) => !signed(r.schoolYear))) throw new Error('Every attestation form sent is already signed: there is nothing to resend');
        if (yearsToResend.length > 0) throw new Error('A resend is already on its way');
      },
    },
  );
  setHandler(recordAttestationViewSignal, (raw) => {
    // Signals cannot be refused; a malformed or unknown view is not recorded.
    const view = ZRecordAttestationViewSchema.safeParse(raw);
    if (!view.success) return;
    const request = state.attestationRequests.filter((r) => r.schoolYear === view.data.schoolYear)[view.data.requestNumber - 1];
    if (!request || request.viewedAt) return;
    request.viewedAt = nowIso();
    appendHistory(state.history, { event: 'attestation_viewed', stage: state.stage, detail: `${request.schoolYear} request #${view.data.requestNumber}` });
  });

  return {
    emailFor: (request: TAttestationRequest, reminderNumber = 0): TRequestEmail => ({
      requestNumber: requestNumberOf(state, request),
      deadline: new Date(deadlineOf(request)).toISOString(),
      reminderNumber,
    }),
    /** How long until a reminder or an expiry is due, if any request is open. */
    msUntilDue: (): number | undefined => {
      const due = activeStages.includes(state.stage) ? open().map(dueAt) : [];
      return due.length > 0 ? Math.max(Math.min(...due) - Date.now(), 1) : undefined;
    },
    hasWork: (): boolean => yearsToResend.length > 0 || (activeStages.includes(state.stage) && open().some((r) => dueAt(r) <= Date.now())),
    /** Sends due resends and reminders, and marks expired requests; one email at a time. */
    async work(): Promise<void> {
      while (yearsToResend.length > 0) {
        const schoolYear = yearsToResend[0]!;
        const document = await makeForm(schoolYear, state.attestationRequests.filter((r) => r.schoolYear === schoolYear).length + 1);
        const request: TAttestationRequest = { schoolYear, document, requestedAt: nowIso() };
        state.attestationRequests.push(request);
        yearsToResend.shift();
        const email = this.emailFor(request);
        appendHistory(state.history, { event: 'attestation_resent', stage: state.stage, detail: `${schoolYear} request #${email.requestNumber}` });
        await send(document, schoolYear, `attestation-request/${schoolYear}/${email.requestNumber}`, email);
      }
      if (!activeStages.includes(state.stage)) return;
      for (const request of open()) {
        if (deadlineOf(request) <= Date.now()) {
          request.expiredAt = nowIso();
          appendHistory(state.history, { event: 'attestation_expired', stage: state.stage, detail: `${request.schoolYear} request #${requestNumberOf(state, request)}` });
        } else if (nextReminderOf(request) <= Date.now()) {
          request.reminders = (request.reminders ?? 0) + 1;
          const email = this.emailFor(request, request.reminders);
          appendHistory(state.history, { event: 'attestation_reminded', stage: state.stage, detail: `${request.schoolYear} request #${email.requestNumber}, reminder ${request.reminders}` });
          await send(request.document, request.schoolYear, `attestation-reminder/${request.schoolYear}/${email.requestNumber}/${request.reminders}`, email);
        }
      }
    },
  };
}

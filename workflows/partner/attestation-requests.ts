import { setHandler } from '@temporalio/workflow';
import { recordAttestationViewSignal, resendAttestationRequestUpdate } from '../../domain/messages';
import type { TPolicy } from '../../domain/policy';
import type { TDocumentRef } from '../../domain/schemas/common';
import {
  ZRecordAttestationViewSchema,
  ZResendAttestationRequestSchema,
  type TAttestationRequest,
  type TPartnerStatus,
} from '../../domain/schemas/partner';
import type { TPartnerStage } from '../../domain/vocabulary';
import { appendHistory, nowIso, parseUpdateInput, requireStage } from '../support';
import { requestTiming } from './request-timing';

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
  const timing = requestTiming(policy);
  const yearsToResend: string[] = [];
  const signed = (year: string): boolean => state.attestations.some((a) => a.schoolYear === year);
  /** The latest request of each school year not signed yet and not expired. */
  const open = (): TAttestationRequest[] =>
    [...new Map(state.attestationRequests.map((r) => [r.schoolYear, r])).values()].filter((r) => !signed(r.schoolYear) && !r.expiredAt);

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
        if (!state.attestationRequests.some((r) => !signed(r.schoolYear)))
          throw new Error('Every attestation form sent is already signed: there is nothing to resend');
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
    appendHistory(state.history, {
      event: 'attestation_viewed',
      stage: state.stage,
      detail: `${request.schoolYear} request #${view.data.requestNumber}`,
    });
  });

  return {
    emailFor: (request: TAttestationRequest, reminderNumber = 0): TRequestEmail => ({
      requestNumber: requestNumberOf(state, request),
      deadline: new Date(timing.deadlineOf(request)).toISOString(),
      reminderNumber,
    }),
    /** How long until a reminder or an expiry is due, if any request is open. */
    msUntilDue: (): number | undefined => timing.msUntilDue(activeStages.includes(state.stage) ? open() : []),
    hasWork: (): boolean => yearsToResend.length > 0 || (activeStages.includes(state.stage) && open().some(timing.isDue)),
    /** Sends due resends and reminders, and marks expired requests; one email at a time. */
    async work(): Promise<void> {
      while (yearsToResend.length > 0) {
        const schoolYear = yearsToResend[0]!;
        const document = await makeForm(schoolYear, state.attestationRequests.filter((r) => r.schoolYear === schoolYear).length + 1);
        const request: TAttestationRequest = { schoolYear, document, requestedAt: nowIso() };
        state.attestationRequests.push(request);
        yearsToResend.shift();
        const email = this.emailFor(request);
        appendHistory(state.history, {
          event: 'attestation_resent',
          stage: state.stage,
          detail: `${schoolYear} request #${email.requestNumber}`,
        });
        await send(document, schoolYear, `attestation-request/${schoolYear}/${email.requestNumber}`, email);
      }
      if (!activeStages.includes(state.stage)) return;
      for (const request of open()) {
        const step = timing.step(request);
        if (step === 'expired') {
          appendHistory(state.history, {
            event: 'attestation_expired',
            stage: state.stage,
            detail: `${request.schoolYear} request #${requestNumberOf(state, request)}`,
          });
        } else if (step === 'reminded') {
          const email = this.emailFor(request, request.reminders);
          appendHistory(state.history, {
            event: 'attestation_reminded',
            stage: state.stage,
            detail: `${request.schoolYear} request #${email.requestNumber}, reminder ${request.reminders}`,
          });
          await send(
            request.document,
            request.schoolYear,
            `attestation-reminder/${request.schoolYear}/${email.requestNumber}/${request.reminders}`,
            email,
          );
        }
      }
    },
  };
}

import { setHandler } from '@temporalio/workflow';
import { isRenewedEachYear } from '../../domain/agency-records';
import { recordAgencyRecordViewSignal, resendAgencyRecordRequestUpdate } from '../../domain/messages';
import { pendingRecordRequests, recordRequestsOf } from '../../domain/record-requests-of';
import type { TPolicy } from '../../domain/policy';
import {
  ZRecordAgencyRecordViewSchema,
  ZResendAgencyRecordRequestSchema,
  type TAgencyRecordRequest,
  type TPartnerStatus,
} from '../../domain/schemas/partner';
import type { TAgencyRecordKind, TPartnerStage } from '../../domain/vocabulary';
import { mail } from '../activities';
import { appendHistory, idempotencyKey, nowIso, parseUpdateInput, requireStage } from '../support';
import { requestTiming } from './request-timing';

export interface TRecordRequestDeps {
  state: TPartnerStatus;
  policy: TPolicy;
  activeStages: readonly TPartnerStage[];
  /** Reminders and expiry (`patched('agency-record-follow-up')`): runs started before keep without. */
  followsUp: boolean;
}

type TRecordKey = Pick<TAgencyRecordRequest, 'kind' | 'schoolYear'>;
const describe = (request: TRecordKey): string => `${request.kind} ${request.schoolYear ?? 'once'}`;

/**
 * Emails the representative a request for each agency record a contract needs and the agency lacks: once per kind,
 * and per school year for kinds renewed each year. Kinds without a statement in the policy are left to staff.
 * Unaffirmed requests are reminded and expire on the policy's signature periods; staff can resend one (a new request
 * number: older links and replies stop working); views of the page are kept. Every event is on the partner's history.
 * Emails go out in the background, so a mail outage does not hold up the standing contracts wait for. Handlers are set
 * when this is created, before the workflow's first await.
 */
export function requestAgencyRecords({ state, policy, activeStages, followsUp }: TRecordRequestDeps) {
  const timing = requestTiming(policy);
  const toRequest: TAgencyRecordRequest[] = [];
  const toResend: TRecordKey[] = [];
  let sending = 0;
  const requests = (): TAgencyRecordRequest[] => (state.recordRequests ??= []);
  const numberOf = (request: TAgencyRecordRequest): number => recordRequestsOf(state, request).indexOf(request) + 1;
  /** The latest request of each record not on file yet. */
  const pending = (): TAgencyRecordRequest[] => pendingRecordRequests(state);
  const open = (): TAgencyRecordRequest[] => (followsUp && activeStages.includes(state.stage) ? pending().filter((r) => !r.expiredAt) : []);
  const newRequest = (record: TRecordKey): TAgencyRecordRequest => ({
    ...record,
    requestedAt: nowIso(),
    deadline: new Date(timing.deadlineOf({ requestedAt: nowIso() })).toISOString(),
  });

  async function send(request: TAgencyRecordRequest, reminderNumber = 0): Promise<void> {
    const year = request.schoolYear ?? 'once';
    const requestNumber = numberOf(request);
    // The first request keeps its original key, so an agency that asked before resends existed never mails it twice.
    const purpose =
      reminderNumber > 0
        ? `agency-record-reminder/${request.kind}/${year}/${requestNumber}/${reminderNumber}`
        : `agency-record-request/${request.kind}/${year}${requestNumber > 1 ? `/${requestNumber}` : ''}`;
    try {
      await mail.sendNotification({
        kind: 'agency_record_request',
        idempotencyKey: idempotencyKey(purpose),
        to: [state.representative.email],
        organizationName: state.organizationName,
        representativeName: state.representative.name,
        partnerId: state.partnerId,
        district: policy.district,
        recordKind: request.kind,
        schoolYear: request.schoolYear,
        statement: policy.agencyRecords.statements[request.kind]!,
        requestNumber,
        deadline: request.deadline,
        ...(reminderNumber > 0 ? { reminderNumber } : {}),
      });
      if (reminderNumber === 0)
        appendHistory(state.history, {
          event: 'record_requested',
          stage: state.stage,
          detail: `${request.kind} ${year}: ${state.representative.email}`,
        });
    } catch (error) {
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: String(error) });
    }
  }
  const sendInBackground = (request: TAgencyRecordRequest, reminderNumber = 0): void => {
    sending += 1;
    void send(request, reminderNumber).finally(() => (sending -= 1));
  };

  setHandler(
    resendAgencyRecordRequestUpdate,
    ({ by, kind }) => {
      const request = pending().find((r) => r.kind === kind)!;
      toResend.push({ kind, schoolYear: request.schoolYear });
      appendHistory(state.history, { event: 'record_resend_asked', stage: state.stage, actor: by.name, detail: describe(request) });
      return numberOf(request) + 1;
    },
    {
      validator: (raw) => {
        const { kind } = parseUpdateInput(ZResendAgencyRecordRequestSchema, raw);
        requireStage(state.stage, activeStages, 'resend an agency record request');
        if (!pending().some((r) => r.kind === kind))
          throw new Error(`kind: no ${kind} request is waiting for the representative: there is nothing to resend`);
        if (toResend.some((r) => r.kind === kind)) throw new Error(`kind: a resend of the ${kind} request is already on its way`);
      },
    },
  );
  setHandler(recordAgencyRecordViewSignal, (raw) => {
    // Signals cannot be refused; a malformed or unknown view is not recorded.
    const view = ZRecordAgencyRecordViewSchema.safeParse(raw);
    if (!view.success) return;
    const request = recordRequestsOf(state, view.data)[view.data.requestNumber - 1];
    if (!request || request.viewedAt) return;
    request.viewedAt = nowIso();
    appendHistory(state.history, {
      event: 'record_viewed',
      stage: state.stage,
      detail: `${describe(request)} request #${view.data.requestNumber}`,
    });
  });

  return {
    /** Called when a contract registers: queues what it needs that is neither on file nor asked for. */
    noteNeeds(needs: readonly TAgencyRecordKind[], contractSchoolYear: string): void {
      if (!activeStages.includes(state.stage)) return;
      for (const kind of needs) {
        if (kind === 'safety_attestation' || !policy.agencyRecords.statements[kind]) continue;
        const wanted = { kind, schoolYear: isRenewedEachYear(policy, kind) ? contractSchoolYear : null };
        const known = [...state.records, ...requests(), ...toRequest];
        if (known.some((r) => r.kind === wanted.kind && r.schoolYear === wanted.schoolYear)) continue;
        toRequest.push(newRequest(wanted));
      }
    },
    hasWork: (): boolean => toRequest.length > 0 || toResend.length > 0 || open().some(timing.isDue),
    /** How long until a reminder or an expiry is due, if any request is open. */
    msUntilDue: (): number | undefined => timing.msUntilDue(open()),
    /** Refuses affirming a request (by link or reply) that a resend replaced. */
    refuseReplaced(record: { kind: string; schoolYear: string | null }, requestNumber: number | undefined): void {
      if (requestNumber !== undefined && requestNumber !== recordRequestsOf(state, record).length) {
        throw new Error('requestNumber: a newer request for this record replaced this one; use the most recent email');
      }
    },
    /** Emails still being sent (the workflow waits for them before continuing as new). */
    sending: (): number => sending,
    /** Records queued and resent requests and starts their emails; marks due requests reminded or expired. */
    work(): void {
      for (const request of toRequest.splice(0)) {
        requests().push(request);
        sendInBackground(request);
      }
      for (const record of toResend.splice(0)) {
        const request = newRequest(record);
        requests().push(request);
        appendHistory(state.history, {
          event: 'record_resent',
          stage: state.stage,
          detail: `${describe(request)} request #${numberOf(request)}`,
        });
        sendInBackground(request);
      }
      for (const request of open()) {
        const step = timing.step(request);
        const detail = `${describe(request)} request #${numberOf(request)}`;
        if (step === 'expired') appendHistory(state.history, { event: 'record_expired', stage: state.stage, detail });
        if (step !== 'reminded') continue;
        appendHistory(state.history, { event: 'record_reminded', stage: state.stage, detail: `${detail}, reminder ${request.reminders}` });
        sendInBackground(request, request.reminders);
      }
    },
  };
}

import { isRenewedEachYear } from '../../domain/agency-records';
import { durationToMs } from '../../domain/durations';
import type { TPolicy } from '../../domain/policy';
import type { TAgencyRecordRequest, TPartnerStatus } from '../../domain/schemas/partner';
import type { TAgencyRecordKind, TPartnerStage } from '../../domain/vocabulary';
import { mail } from '../activities';
import { appendHistory, idempotencyKey, nowIso } from '../support';

export interface TRecordRequestDeps {
  state: TPartnerStatus;
  policy: TPolicy;
  activeStages: readonly TPartnerStage[];
}

const sameRecord = (a: { kind: string; schoolYear: string | null }, b: { kind: string; schoolYear: string | null }): boolean =>
  a.kind === b.kind && a.schoolYear === b.schoolYear;

/**
 * Emails the representative a request for each agency record a contract needs and the agency lacks: once per kind,
 * and per school year for kinds renewed each year. Kinds without a statement in the policy are left to staff.
 * Emails go out in the background, so a mail outage does not hold up the standing contracts wait for.
 */
export function requestAgencyRecords({ state, policy, activeStages }: TRecordRequestDeps) {
  const toRequest: TAgencyRecordRequest[] = [];
  let sending = 0;
  const requests = (): TAgencyRecordRequest[] => (state.recordRequests ??= []);

  async function send(request: TAgencyRecordRequest): Promise<void> {
    const year = request.schoolYear ?? 'once';
    try {
      await mail.sendNotification({
        kind: 'agency_record_request',
        idempotencyKey: idempotencyKey(`agency-record-request/${request.kind}/${year}`),
        to: [state.representative.email],
        organizationName: state.organizationName,
        representativeName: state.representative.name,
        partnerId: state.partnerId,
        district: policy.district,
        recordKind: request.kind,
        schoolYear: request.schoolYear,
        statement: policy.agencyRecords.statements[request.kind]!,
        requestNumber: 1,
        deadline: request.deadline,
      });
      appendHistory(state.history, { event: 'record_requested', stage: state.stage, detail: `${request.kind} ${year}: ${state.representative.email}` });
    } catch (error) {
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: String(error) });
    }
  }

  return {
    /** Called when a contract registers: queues what it needs that is neither on file nor asked for. */
    noteNeeds(needs: readonly TAgencyRecordKind[], contractSchoolYear: string): void {
      if (!activeStages.includes(state.stage)) return;
      for (const kind of needs) {
        if (kind === 'safety_attestation' || !policy.agencyRecords.statements[kind]) continue;
        const wanted = { kind, schoolYear: isRenewedEachYear(policy, kind) ? contractSchoolYear : null };
        const known = [...state.records, ...requests(), ...toRequest];
        if (known.some((r) => sameRecord(r, wanted))) continue;
        toRequest.push({ ...wanted, requestedAt: nowIso(), deadline: new Date(Date.now() + durationToMs(policy.signature.expireAfter)).toISOString() });
      }
    },
    hasWork: (): boolean => toRequest.length > 0,
    /** Emails still being sent (the workflow waits for them before continuing as new). */
    sending: (): number => sending,
    /** Records the queued requests and starts their emails. */
    work(): void {
      for (const request of toRequest.splice(0)) {
        requests().push(request);
        sending += 1;
        void send(request).finally(() => (sending -= 1));
      }
    },
  };
}

import type { TAgencyRecordRequest, TPartnerStatus } from './schemas/partner';

type TRecordKey = { kind: string; schoolYear: string | null };
const sameRecord = (a: TRecordKey, b: TRecordKey): boolean => a.kind === b.kind && a.schoolYear === b.schoolYear;

/** The requests of one agency record (kind and school year), oldest first: a resend is the next request number. */
export const recordRequestsOf = (partner: Pick<TPartnerStatus, 'recordRequests'>, record: TRecordKey): TAgencyRecordRequest[] =>
  (partner.recordRequests ?? []).filter((r) => sameRecord(r, record));

/** The latest request of each agency record that is not on file yet (expired ones included). */
export const pendingRecordRequests = (partner: Pick<TPartnerStatus, 'recordRequests' | 'records'>): TAgencyRecordRequest[] =>
  (partner.recordRequests ?? []).filter(
    (r) => !partner.records.some((on) => sameRecord(on, r)) && recordRequestsOf(partner, r).at(-1) === r,
  );

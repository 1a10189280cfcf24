import type { TContractRequest, TRenewContract } from './schemas/contract';
import { lastDayOf, localDate, type TSchoolYear } from './school-year';
import { startOfDateMs } from './dates';

const YEAR_SUFFIX = /-\d{4}-\d{4}$/;

/** Next year's contract id: the program's id with the school year, e.g. reading-circles-2027-2028. */
export function renewalContractId(contractId: string, nextSchoolYear: string): string {
  const base = contractId.replace(YEAR_SUFFIX, '').slice(0, 64 - nextSchoolYear.length - 1);
  return `${base}-${nextSchoolYear}`;
}

/** The same program on the same route for the next school year, initiated by whoever renewed it. */
export function renewalRequestFor(
  previous: TContractRequest,
  renewal: { by: { name: string; email: string }; changes: NonNullable<TRenewContract['changes']> },
  nextYear: TSchoolYear,
  timeZone: string,
): TContractRequest {
  const startDate = localDate(nextYear.startsAtMs, timeZone);
  // A calendar may start the year at an exact moment; a date is enough when it starts at midnight.
  const startsAtMidnight = startOfDateMs(startDate, timeZone) === nextYear.startsAtMs;
  const { goLiveDate: _previousGoLive, ...kept } = previous;
  return {
    ...kept,
    contractId: renewal.changes.contractId ?? renewalContractId(previous.contractId, nextYear.name),
    schools: renewal.changes.schools ?? previous.schools,
    amountCents: renewal.changes.amountCents ?? previous.amountCents,
    startDate,
    endDate: lastDayOf(nextYear, timeZone),
    ...(startsAtMidnight ? {} : { goLiveDate: new Date(nextYear.startsAtMs).toISOString() }),
    initiatedBy: renewal.by,
    renewalOf: previous.contractId,
  };
}

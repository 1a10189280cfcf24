import type { TPolicy } from './policy';
import { lastDayOf, localDate, nextSchoolYearName, schoolYearAt, schoolYearNamed, type TSchoolYear } from './school-year';

const DAY_MS = 86_400_000;

/** A contract term: the school year it belongs to and its first and last day (YYYY-MM-DD, district time). */
export interface TTerm {
  schoolYear: string;
  startDate: string;
  endDate: string;
}

type TTermPolicy = Pick<TPolicy, 'schoolYear' | 'timeZone'>;

/** The whole school year as a term, first day to last. */
export const wholeYearTerm = (year: TSchoolYear, policy: TTermPolicy): TTerm => ({
  schoolYear: year.name,
  startDate: localDate(year.startsAtMs, policy.timeZone),
  endDate: lastDayOf(year, policy.timeZone),
});

/** The whole school year it is at `nowMs`: always valid for a contract made then, and its go-live has come. */
export const currentYearTerm = (nowMs: number, policy: TTermPolicy): TTerm =>
  wholeYearTerm(schoolYearAt(nowMs, policy.schoolYear, policy.timeZone), policy);

/**
 * A term a new contract made at `nowMs` may have, on any day of any year (tests, benchmarks, the reliability
 * suite and the demo use it instead of fixed dates). It starts `daysAhead` days later and runs `lengthDays` or to
 * the end of its school year; when fewer than `minDaysLeft` days of that year would remain, or the start would
 * fall beyond next school year (which the policy refuses), it is the whole next school year instead.
 */
export function planTerm(
  nowMs: number,
  policy: TTermPolicy,
  options: { daysAhead?: number; lengthDays?: number; minDaysLeft?: number } = {},
): TTerm {
  const { daysAhead = 0, lengthDays = 366, minDaysLeft = 30 } = options;
  const current = schoolYearAt(nowMs, policy.schoolYear, policy.timeZone);
  const next = schoolYearNamed(nextSchoolYearName(current.name), policy.schoolYear, policy.timeZone);
  const startMs = nowMs + daysAhead * DAY_MS;
  const year = schoolYearAt(startMs, policy.schoolYear, policy.timeZone);
  const usable = (year.name === current.name || year.name === next.name) && year.endsAtMs - startMs >= minDaysLeft * DAY_MS;
  if (!usable) {
    const whole = wholeYearTerm(next, policy);
    const shortened = localDate(next.startsAtMs + (lengthDays - 1) * DAY_MS, policy.timeZone);
    return { ...whole, endDate: shortened < whole.endDate ? shortened : whole.endDate };
  }
  const startDate = localDate(startMs, policy.timeZone);
  const endDate = localDate(startMs + lengthDays * DAY_MS, policy.timeZone);
  const lastDay = lastDayOf(year, policy.timeZone);
  return { schoolYear: year.name, startDate, endDate: endDate < lastDay ? endDate : lastDay };
}

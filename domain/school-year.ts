import { endOfDateMs, startOfDateMs, wallClockParts } from './dates';

/** The policy's school-year settings (see ZSchoolYearPolicySchema in policy.ts). */
export interface TSchoolYearPolicy {
  /** The first day of every school year (MM-DD) when the calendar does not list the year. */
  startsOn: string;
  /** The spring day (MM-DD) renewal requests go out, in the year's second calendar year. */
  renewalRequestsOn: string;
  /** Years with exact dates (the district's published calendar); they win over the MM-DD rule. */
  calendar: { name: string; startsAt: string; endsAt: string; renewalRequestsAt: string }[];
}

export interface TSchoolYear {
  /** Written "2026-2027". */
  name: string;
  startsAtMs: number;
  /** The first moment after the year (exclusive). */
  endsAtMs: number;
  renewalRequestsAtMs: number;
}

const firstYearOf = (name: string): number => Number(name.slice(0, 4));
export const schoolYearName = (firstYear: number): string => `${firstYear}-${firstYear + 1}`;
export const nextSchoolYearName = (name: string): string => schoolYearName(firstYearOf(name) + 1);

/** The school year called `name`: from the calendar, else from the MM-DD rule. */
export function schoolYearNamed(name: string, policy: TSchoolYearPolicy, timeZone: string): TSchoolYear {
  const listed = policy.calendar.find((year) => year.name === name);
  if (listed) {
    return {
      name,
      startsAtMs: startOfDateMs(listed.startsAt, timeZone),
      endsAtMs: endOfDateMs(listed.endsAt, timeZone),
      renewalRequestsAtMs: startOfDateMs(listed.renewalRequestsAt, timeZone),
    };
  }
  const first = firstYearOf(name);
  return {
    name,
    startsAtMs: startOfDateMs(`${first}-${policy.startsOn}`, timeZone),
    endsAtMs: startOfDateMs(`${first + 1}-${policy.startsOn}`, timeZone),
    renewalRequestsAtMs: startOfDateMs(`${first + 1}-${policy.renewalRequestsOn}`, timeZone),
  };
}

/** The school year an instant falls in. */
export function schoolYearAt(epochMs: number, policy: TSchoolYearPolicy, timeZone: string): TSchoolYear {
  const contains = (year: TSchoolYear): boolean => year.startsAtMs <= epochMs && epochMs < year.endsAtMs;
  for (const listed of policy.calendar) {
    const year = schoolYearNamed(listed.name, policy, timeZone);
    if (contains(year)) return year;
  }
  const calendarYear = new Date(epochMs).getUTCFullYear();
  const candidates = [calendarYear - 1, calendarYear, calendarYear - 2, calendarYear + 1].map((first) =>
    schoolYearNamed(schoolYearName(first), { ...policy, calendar: [] }, timeZone),
  );
  return candidates.find(contains) ?? candidates[0]!;
}

/** The school year a date (or instant) belongs to. Contracts belong to the year of their start date. */
export const schoolYearOf = (dateOrInstant: string, policy: TSchoolYearPolicy, timeZone: string): TSchoolYear =>
  schoolYearAt(startOfDateMs(dateOrInstant, timeZone), policy, timeZone);

/** The last calendar day of a school year, in the district's time zone (YYYY-MM-DD). */
export function lastDayOf(year: TSchoolYear, timeZone: string): string {
  return localDate(year.endsAtMs - 1, timeZone);
}

/** The calendar date of an instant in a time zone (YYYY-MM-DD). */
export function localDate(epochMs: number, timeZone: string): string {
  const wall = wallClockParts(epochMs, timeZone);
  return `${wall.year}-${wall.month}-${wall.day}`;
}

import type { TPolicy } from '../../domain/policy';
import { nextSchoolYearName, schoolYearAt } from '../../domain/school-year';
import { testPolicy } from './temporal';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** This school year ends `endsInMs` from now (renewal requests `renewalInMs` from now); the next one follows it. */
export function shortYearPolicy(renewalInMs: number, endsInMs: number): TPolicy {
  const base = testPolicy();
  const now = Date.now();
  const thisYear = schoolYearAt(now, base.schoolYear, base.timeZone).name;
  return {
    ...base,
    renewal: { remindEvery: '3s' },
    schoolYear: {
      ...base.schoolYear,
      calendar: [
        { name: thisYear, startsAt: iso(now - 100 * DAY_MS), renewalRequestsAt: iso(now + renewalInMs), endsAt: iso(now + endsInMs) },
        {
          name: nextSchoolYearName(thisYear),
          startsAt: iso(now + endsInMs),
          renewalRequestsAt: iso(now + 200 * DAY_MS),
          endsAt: iso(now + 300 * DAY_MS),
        },
      ],
    },
  };
}

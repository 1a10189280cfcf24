import { clockFor } from '../../client/context';
import { loadPolicy } from '../../config/load-policy';
import { parseEnv } from '../../config/env';
import { currentYearTerm, planTerm, type TTerm } from '../../domain/plan-term';
import type { TPolicy } from '../../domain/policy';
import { schoolYearAt } from '../../domain/school-year';

/** Tests take "today" where the product does: CPO_TODAY when `npm test` moves the date (test:moved-clock), else the real date. */
export const TEST_TODAY = parseEnv().CPO_TODAY;

const MINNEAPOLIS = loadPolicy('policies/minneapolis.json');

/** The clock a test context gets (the same as `cpo` and the server under the same environment). */
export const testClock = (policy: Pick<TPolicy, 'timeZone'> = MINNEAPOLIS): (() => number) => clockFor(TEST_TODAY, policy.timeZone);

/** The school year it is today for the policy, e.g. "2026-2027". */
export const currentSchoolYear = (policy: TPolicy = MINNEAPOLIS): string =>
  schoolYearAt(testClock(policy)(), policy.schoolYear, policy.timeZone).name;

/** The whole current school year: always a valid term for a contract made today, and it contains today. */
export const currentTerm = (policy: TPolicy = MINNEAPOLIS): TTerm => currentYearTerm(testClock(policy)(), policy);

/** A term starting in the future (the next school year's when this one is nearly over). */
export const upcomingTerm = (policy: TPolicy = MINNEAPOLIS, options: Parameters<typeof planTerm>[2] = {}): TTerm =>
  planTerm(testClock(policy)(), policy, options);

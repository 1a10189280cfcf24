import { loadPolicy } from '../../config/load-policy';
import { startOfDateMs } from '../../domain/dates';
import { fieldProblems } from '../../domain/format-zod-error';
import { currentYearTerm, planTerm } from '../../domain/plan-term';
import { newContractRequestSchemaFor } from '../../domain/schemas/contract';
import { TEST_TODAY } from '../helpers/clock';
import { contractRequest, termDates } from '../helpers/fixtures';

const POLICIES = [loadPolicy('policies/minneapolis.json'), loadPolicy('policies/seattle.json')];
const DAY_MS = 86_400_000;
const seattleRoute = { route: 'memorandum_of_understanding', schools: ['Garfield High School'] };

/** Noon in the district on a date, as the client clock would read it. */
const noonOn = (date: string, timeZone: string): number => startOfDateMs(date, timeZone) + 12 * 3_600_000;
const problemsOn = (date: string, policy: (typeof POLICIES)[number], overrides: object): { field: string; message: string }[] => {
  const request = {
    ...contractRequest('term-check', 'hoi-nguoi-viet'),
    ...(policy.policyId === 'seattle' ? seattleRoute : {}),
    ...overrides,
  };
  const result = newContractRequestSchemaFor(policy, noonOn(date, policy.timeZone)).safeParse(request);
  return result.success ? [] : fieldProblems(result.error);
};
const everyDay = (from: string, days: number): string[] =>
  Array.from({ length: days }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY_MS).toISOString().slice(0, 10));

describe.each(POLICIES.map((policy) => [policy.policyId, policy] as const))('%s: terms made on any day are valid', (_id, policy) => {
  // Two whole years, including 2 December (the bench failure), late June and August, and a leap day.
  const days = everyDay('2026-12-01', 2 * 366 + 31);

  test('the current school year, and planned terms starting 0, 25 and 280 days ahead, are accepted on every day', () => {
    const refused: string[] = [];
    for (const day of days) {
      const nowMs = noonOn(day, policy.timeZone);
      const terms = [
        currentYearTerm(nowMs, policy),
        ...[0, 25, 280].map((daysAhead) => planTerm(nowMs, policy, { daysAhead, lengthDays: 150 })),
      ];
      for (const term of terms) {
        const problems = problemsOn(day, policy, termDates(term));
        if (problems.length > 0) refused.push(`${day} ${JSON.stringify(term)}: ${JSON.stringify(problems)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  test('a term that ends before today is refused naming endDate, whatever the day', () => {
    for (const day of ['2026-12-02', '2027-06-25', '2027-08-10']) {
      const lastYear = currentYearTerm(noonOn(day, policy.timeZone) - 366 * DAY_MS, policy);
      expect(problemsOn(day, policy, termDates(lastYear))).toContainEqual({
        field: 'endDate',
        message: `must not be before today (${day}): the whole term would already be over`,
      });
    }
  });
});

test('the 1999-2000 term of the issue is refused naming endDate and the school year, not accepted to wait forever', () => {
  const [minneapolis] = POLICIES;
  expect(problemsOn('2026-12-02', minneapolis!, { startDate: '1999-09-01', endDate: '2000-06-10', goLiveDate: '1999-09-01' })).toEqual([
    { field: 'endDate', message: 'must not be before today (2026-12-02): the whole term would already be over' },
    {
      field: 'goLiveDate',
      message: 'falls in the 1999-2000 school year; contracts are made for the current school year (2026-2027) or the next (2027-2028)',
    },
  ]);
});

test('a term two school years ahead is refused naming startDate; next school year is accepted', () => {
  const [minneapolis] = POLICIES;
  const overrides = { startDate: '2028-09-01', endDate: '2029-06-10', goLiveDate: undefined };
  expect(problemsOn('2026-12-02', minneapolis!, overrides)).toEqual([
    {
      field: 'startDate',
      message: 'falls in the 2028-2029 school year; contracts are made for the current school year (2026-2027) or the next (2027-2028)',
    },
  ]);
  expect(problemsOn('2026-12-02', minneapolis!, { startDate: '2027-09-01', endDate: '2028-06-10', goLiveDate: undefined })).toEqual([]);
});

test('the fixtures follow the clock the run was given (CPO_TODAY when npm test moves it)', () => {
  const [minneapolis] = POLICIES;
  const today = TEST_TODAY ?? new Intl.DateTimeFormat('en-CA', { timeZone: minneapolis!.timeZone }).format(new Date());
  const request = contractRequest('fixture-check', 'hoi-nguoi-viet');
  expect(request.startDate <= today && today <= request.endDate).toBe(true);
  expect(problemsOn(today, minneapolis!, {})).toEqual([]);
});

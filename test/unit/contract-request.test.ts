import { loadPolicy } from '../../config/load-policy';
import { fieldProblems } from '../../domain/format-zod-error';
import { contractRequestSchemaFor } from '../../domain/schemas/contract';
import { contractRequest, departmentPaid } from '../helpers/fixtures';

const schema = contractRequestSchemaFor(loadPolicy('policies/minneapolis.json'));
const problemsOf = (value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : fieldProblems(result.error);
};
const valid = contractRequest('reading-2026', 'hoi-nguoi-viet');

test('a complete request on every route passes', () => {
  expect(problemsOf(valid)).toEqual([]);
  expect(problemsOf({ ...valid, ...departmentPaid })).toEqual([]);
  expect(problemsOf({ ...valid, route: 'afterschool_enrichment', amountCents: 50_000 })).toEqual([]);
  expect(problemsOf({ ...valid, route: 'afterschool_academic' })).toEqual([]);
});

test.each([
  ['missing program name', { programName: undefined }, 'programName'],
  ['amount as text', { amountCents: '100' }, 'amountCents'],
  ['negative amount', { amountCents: -100 }, 'amountCents'],
  ['fractional cents', { amountCents: 10.5 }, 'amountCents'],
  ['end before start', { startDate: '2026-09-01', endDate: '2026-08-01' }, 'endDate'],
  ['go-live after the end', { goLiveDate: '2031-01-01' }, 'goLiveDate'],
  ['unknown route', { route: 'handshake' }, 'route'],
  ['no schools', { schools: [] }, 'schools'],
  ['a school twice', { schools: ['Folwell Middle', 'Folwell Middle'] }, 'schools'],
  ['unknown service', { services: ['babysitting'] }, 'services.0'],
  ['bad signer email', { partnerSigner: { name: 'Lan', email: 'lan-at-example' } }, 'partnerSigner.email'],
  ['not a date', { startDate: '09/01/2026' }, 'startDate'],
  ['money on a $0 route', { amountCents: 100 }, 'amountCents'],
  ['no money on a department-paid route', { ...departmentPaid, amountCents: 0 }, 'amountCents'],
  ['department-paid without the department', { ...departmentPaid, payingDepartment: undefined }, 'payingDepartment'],
  ['an id with spaces', { contractId: 'Reading 2026' }, 'contractId'],
])('%s is refused on field %s', (_case, change, field) => {
  const problems = problemsOf({ ...valid, ...change });
  expect(problems.map((p) => p.field)).toContain(field);
  expect(problems.find((p) => p.field === field)?.message).toMatch(/\w/);
});

test('a missing field is reported as required', () => {
  expect(problemsOf({ ...valid, programName: undefined })).toEqual([{ field: 'programName', message: 'is required' }]);
});

test('an unknown route lists the routes there are', () => {
  expect(problemsOf({ ...valid, route: 'handshake' })[0]?.message).toBe(
    '"handshake" is not a route of Minneapolis Public Schools; use one of: department_paid, zero_dollar, afterschool_enrichment, afterschool_academic',
  );
});

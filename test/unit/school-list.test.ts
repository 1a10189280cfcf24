import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../config/load-policy';
import { checkSchoolNames, closeSchoolNames } from '../../domain/check-school-names';
import { ZPolicySchema } from '../../domain/policy';
import { fieldProblems } from '../../domain/format-zod-error';
import { newContractRequestSchemaFor } from '../../domain/schemas/contract';
import { contractRequest } from '../helpers/fixtures';

const minneapolis = loadPolicy('policies/minneapolis.json');
const seattle = loadPolicy('policies/seattle.json');

test('both shipped policies list at least 20 schools, each once', () => {
  for (const policy of [minneapolis, seattle]) {
    expect(policy.schools!.length).toBeGreaterThanOrEqual(20);
    expect(new Set(policy.schools).size).toBe(policy.schools!.length);
  }
  expect(minneapolis.schools).toEqual(expect.arrayContaining(['Anwatin Middle', 'Folwell Middle', 'Sanford Middle']));
  expect(seattle.schools).toEqual(expect.arrayContaining(['Garfield High School']));
});

test("a policy file without a school list is refused naming schools; a running contract's policy copy without one still parses", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
  const file = path.join(dir, 'no-schools.json');
  const { schools: _dropped, ...withoutSchools } = minneapolis;
  writeFileSync(file, JSON.stringify(withoutSchools));
  expect(() => loadPolicy(file)).toThrow(/schools: must list the district's schools/);
  expect(ZPolicySchema.safeParse(withoutSchools).success).toBe(true);
  expect(ZPolicySchema.safeParse({ ...minneapolis, schools: ['South High', 'South High'] }).error?.issues[0]).toMatchObject({
    path: ['schools'],
    message: 'lists a school twice',
  });
});

test('an unknown school is refused naming it, with the close names of the list', () => {
  expect(checkSchoolNames(minneapolis, ['Anwatin Middle', 'South High'])).toBeNull();
  expect(checkSchoolNames(minneapolis, ['Folwel Middle'])).toBe(
    '"Folwel Middle" (did you mean Folwell Middle?) is not a school of Minneapolis Public Schools; use the names of the policy\'s school list',
  );
  expect(closeSchoolNames(minneapolis.schools!, 'lyndale')).toEqual(['Lyndale Elementary']);
  expect(closeSchoolNames(minneapolis.schools!, 'folwell middle')).toEqual(['Folwell Middle']);
  expect(closeSchoolNames(minneapolis.schools!, 'Zzyzx Academy of Nowhere')).toEqual([]);
  expect(checkSchoolNames(minneapolis, ['Nowhere', 'Elsewhere'])).toMatch(
    /^"Nowhere", "Elsewhere" are not schools of Minneapolis Public Schools/,
  );
  // A policy copy without a list (contracts started before it existed) refuses nothing.
  expect(checkSchoolNames({ ...minneapolis, schools: undefined }, ['Nowhere'])).toBeNull();
});

test('a new contract naming a school of another district is refused on the schools field', () => {
  const request = contractRequest('reading-2026', 'hoi-nguoi-viet', { schools: ['Anwatin Middle', 'Garfield High School'] });
  const result = newContractRequestSchemaFor(minneapolis, Date.now()).safeParse(request);
  expect(fieldProblems(result.error!)).toEqual([
    { field: 'schools', message: expect.stringMatching(/^"Garfield High School" .*is not a school of Minneapolis Public Schools/) },
  ]);
});

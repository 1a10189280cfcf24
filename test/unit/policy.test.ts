import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../config/load-policy';
import { durationToMs, ZDurationSchema } from '../../domain/durations';
import { requiredRecords } from '../../domain/agency-records';
import { ZPolicySchema } from '../../domain/policy';
import { renewalContractId } from '../../domain/renewal';
import { lastDayOf, nextSchoolYearName, schoolYearOf } from '../../domain/school-year';

const minneapolis = loadPolicy('policies/minneapolis.json');

test('the shipped Minneapolis policy has the four routes of seed 000 and who acts on each', () => {
  expect(Object.keys(minneapolis.routes)).toEqual(['department_paid', 'zero_dollar', 'afterschool_enrichment', 'afterschool_academic']);
  expect(minneapolis.routes.department_paid).toMatchObject({
    initiatedBy: 'paying_department',
    districtSigner: 'paying_department',
    amount: 'positive',
  });
  expect(minneapolis.routes.zero_dollar).toMatchObject({ initiatedBy: 'cpo_office', amount: 'zero' });
  expect(minneapolis.routes.afterschool_enrichment?.districtSigner).toBe('community_education');
  expect(minneapolis.routes.afterschool_academic?.districtSigner).toBe('extended_learning');
});

test('durations are written like "3d" and converted exactly', () => {
  expect(durationToMs('3d')).toBe(259_200_000);
  expect(durationToMs('12h')).toBe(43_200_000);
  expect(durationToMs('500ms')).toBe(500);
  for (const bad of ['3 days', '0s', '-1h', '1.5d', 'd']) expect(ZDurationSchema.safeParse(bad).success).toBe(false);
});

test('a policy naming an office it does not define is refused with the field', () => {
  const broken = structuredClone(minneapolis);
  broken.routes.zero_dollar!.districtSigner = 'facilities';
  const result = ZPolicySchema.safeParse(broken);
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]).toMatchObject({
    path: ['routes', 'zero_dollar', 'districtSigner'],
    message: expect.stringContaining('"facilities"'),
  });
});

test('loadPolicy names the bad field of a policy file, and a file that is not JSON', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
  const badPeriod = path.join(dir, 'bad.json');
  writeFileSync(badPeriod, JSON.stringify({ ...minneapolis, signature: { remindEvery: 'every 3 days', expireAfter: '30d' } }));
  expect(() => loadPolicy(badPeriod)).toThrow(/signature\.remindEvery: must be a duration/);
  const badZone = path.join(dir, 'zone.json');
  writeFileSync(badZone, JSON.stringify({ ...minneapolis, timeZone: 'Mars/Olympus' }));
  expect(() => loadPolicy(badZone)).toThrow(/timeZone: must be an IANA time zone/);
  const notJson = path.join(dir, 'not.json');
  writeFileSync(notJson, 'routes: []');
  expect(() => loadPolicy(notJson)).toThrow(/Cannot read policy file/);
});

test('the shipped Seattle policy maps its four agreements onto the pipeline, with background checks and central data sharing', () => {
  const seattle = loadPolicy('policies/seattle.json');
  expect(
    Object.fromEntries(
      Object.entries(seattle.routes).map(([key, route]) => [key, [route.documentTitle, route.amount, route.districtSigner]]),
    ),
  ).toEqual({
    personal_services_contract: ['Personal Services Contract', 'positive', 'contracts_office'],
    memorandum_of_understanding: ['Memorandum of Understanding', 'zero', 'scp_office'],
    alignment_agreement: ['Alignment Agreement', 'any', 'real_estate'],
    ptsa_enrichment: ['PTSA Enrichment Agreement', 'any', 'scp_office'],
  });
  expect(seattle.agencyRecords).toMatchObject({
    always: ['safety_attestation', 'background_check_affirmation'],
    studentDataManagedBy: 'scp_office',
  });
  expect(
    requiredRecords(seattle, { route: 'personal_services_contract', category: 'contracted_partner', exchangesStudentData: true }),
  ).toEqual(['safety_attestation', 'background_check_affirmation']);
  expect(requiredRecords(minneapolis, { route: 'zero_dollar', category: 'contracted_partner', exchangesStudentData: true })).toEqual([
    'safety_attestation',
    'data_sharing_agreement',
  ]);
});

test('both shipped policies state what the representative affirms for each agency record other than the attestation', () => {
  for (const policy of [minneapolis, loadPolicy('policies/seattle.json')]) {
    expect(Object.keys(policy.agencyRecords.statements).sort()).toEqual([
      'background_check_affirmation',
      'data_sharing_agreement',
      'photo_video_consent_practice',
    ]);
  }
  expect(minneapolis.agencyRecords.statements.photo_video_consent_practice).toMatch(/signed parent or guardian consent/);
  expect(
    ZPolicySchema.safeParse({ ...minneapolis, agencyRecords: { ...minneapolis.agencyRecords, statements: { safety_attestation: 'x' } } })
      .success,
  ).toBe(false);
});

test('school years come from the MM-DD rule or the district calendar, and renewal ids carry the year', () => {
  const rule = minneapolis.schoolYear;
  const year = schoolYearOf('2026-11-23', rule, 'America/Chicago');
  expect(year.name).toBe('2026-2027');
  expect(lastDayOf(year, 'America/Chicago')).toBe('2027-06-30');
  expect(new Date(year.renewalRequestsAtMs).toISOString()).toBe('2027-04-01T05:00:00.000Z');
  expect(schoolYearOf('2026-06-30', rule, 'America/Chicago').name).toBe('2025-2026');
  const calendar = {
    ...rule,
    calendar: [{ name: '2026-2027', startsAt: '2026-09-02', endsAt: '2027-06-11', renewalRequestsAt: '2027-03-15' }],
  };
  expect(lastDayOf(schoolYearOf('2026-09-02', calendar, 'America/Chicago'), 'America/Chicago')).toBe('2027-06-11');
  // Before the listed first day, the MM-DD rule still places a summer date in the coming year.
  expect(schoolYearOf('2026-08-20', calendar, 'America/Chicago').name).toBe('2026-2027');
  expect(schoolYearOf('2026-06-20', calendar, 'America/Chicago').name).toBe('2025-2026');
  expect(nextSchoolYearName('2026-2027')).toBe('2027-2028');
  expect(renewalContractId('reading-circles', '2027-2028')).toBe('reading-circles-2027-2028');
  expect(renewalContractId('reading-circles-2027-2028', '2028-2029')).toBe('reading-circles-2028-2029');
  expect(renewalContractId('x'.repeat(64), '2027-2028')).toHaveLength(64);
});

test('policy mistakes in the new sections are refused with the field', () => {
  const issues = (policy: unknown) => ZPolicySchema.safeParse(policy).error?.issues.map((i) => i.path.join('.'));
  expect(issues({ ...minneapolis, schoolYear: { ...minneapolis.schoolYear, renewalRequestsOn: '09-01' } })).toEqual([
    'schoolYear.renewalRequestsOn',
  ]);
  expect(
    issues({ ...minneapolis, agencyRecords: { ...minneapolis.agencyRecords, always: ['safety_attestation', 'tax_returns'] } }),
  ).toEqual(['agencyRecords.always.1']);
  expect(
    issues({ ...minneapolis, agencyRecords: { ...minneapolis.agencyRecords, byRoute: { lease: ['background_check_affirmation'] } } }),
  ).toEqual(['agencyRecords.byRoute.lease']);
  expect(
    issues({ ...minneapolis, routes: { ...minneapolis.routes, zero_dollar: { ...minneapolis.routes.zero_dollar, approvedBy: 'board' } } }),
  ).toEqual(['routes.zero_dollar.approvedBy']);
  expect(issues({ ...minneapolis, emails: { invoice: { subject: 'x' } } })).toEqual(['emails']);
  expect(
    issues({
      ...minneapolis,
      schoolYear: {
        ...minneapolis.schoolYear,
        calendar: [{ name: '2026-2028', startsAt: '2026-09-01', endsAt: '2027-06-10', renewalRequestsAt: '2027-04-01' }],
      },
    }),
  ).toEqual(['schoolYear.calendar.0.name']);
});

test('a bad policy file stops the worker at start with a message naming the field', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
  const file = path.join(dir, 'district.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...minneapolis,
      routes: { ...minneapolis.routes, zero_dollar: { ...minneapolis.routes.zero_dollar, districtSigner: 'facilities' } },
    }),
  );
  // Port 1 has no Temporal server: the worker must stop on the policy before it tries to connect.
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: { ...process.env, CPO_POLICY_FILE: file, TEMPORAL_ADDRESS: '127.0.0.1:1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`Invalid policy file ${file}: routes.zero_dollar.districtSigner: names office "facilities"`);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../config/load-policy';
import { durationToMs, ZDurationSchema } from '../../domain/durations';
import { ZPolicySchema } from '../../domain/policy';

const minneapolis = loadPolicy('policies/minneapolis.json');

test('the shipped Minneapolis policy has the four routes of seed 000 and who acts on each', () => {
  expect(Object.keys(minneapolis.routes)).toEqual(['department_paid', 'zero_dollar', 'afterschool_enrichment', 'afterschool_academic']);
  expect(minneapolis.routes.department_paid).toMatchObject({ initiatedBy: 'paying_department', districtSigner: 'paying_department', amount: 'positive' });
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
  expect(result.error?.issues[0]).toMatchObject({ path: ['routes', 'zero_dollar', 'districtSigner'], message: expect.stringContaining('"facilities"') });
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

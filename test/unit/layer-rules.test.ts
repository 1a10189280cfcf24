import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/layers');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface TViolation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The project's own rules (.dependency-cruiser.cjs, as `npm run lint:layers` runs them) on a tree with known faults. */
function violationsOf(...folders: string[]): string[] {
  const report = execFileSync(
    process.execPath,
    [DEPCRUISE, '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', ...folders],
    {
      cwd: FIXTURE,
      encoding: 'utf8',
    },
  );
  const violations = (JSON.parse(report) as { summary: { violations: TViolation[] } }).summary.violations;
  return violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

// Exactly these: workflows/typed-flow.ts, which imports only an activity's types, is not among them.
test('the layer rules report an upward import, a type-only cycle, a workflow importing activity code and a Node built-in in domain/', () => {
  expect(violationsOf('domain', 'workflows', 'activities')).toEqual([
    'domain-is-pure: domain/read-rate.ts -> fs',
    'domain-points-down: domain/price.ts -> activities/tax-rate.ts',
    'no-cycles: activities/bill-text.ts -> activities/send-bill.ts',
    'workflows-use-activities-as-types: workflows/bill-flow.ts -> activities/send-bill.ts',
  ]);
});

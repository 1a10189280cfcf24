import { findProblems } from '../../reliability/find-problems';
import { runStorageOutageScenario } from '../../reliability/scenarios/storage-outage';
import { startReliabilityStack, type TReliabilityStack } from '../../reliability/stack';

// The small run of `npm run reliability -- --scenario storage-outage`.
let stack: TReliabilityStack;
beforeAll(async () => {
  stack = await startReliabilityStack({ s3: true });
}, 180_000);
afterAll(() => stack?.close());

test('while the document store is down for longer than the old retries lasted, no workflow fails, staff see "waiting on document storage", and every contract goes live when it returns', async () => {
  const report = await runStorageOutageScenario(stack, { contracts: 3, partners: 1, downMs: 25_000, timeoutMs: 180_000 });

  expect(report.failedWorkflows).toBe(0);
  expect(report.shownWaitingByApi).toBe(3 + 1);
  expect(report.mostAttempts).toBeGreaterThanOrEqual(4);
  expect(report.cliLine).toMatch(
    /^DOCUMENTS: +waiting on document storage: \d+ attempts? failed \(.+\); (next try at \d{4}-|trying again now)/,
  );
  expect(report.pageNotice).toMatch(/^waiting on document storage: \d+ attempts? failed/);
  expect(findProblems(report)).toEqual([]);
  expect(report.live).toBe(3 + 1);
  expect(report.emailsLost).toEqual([]);
  expect(report.duplicateEmails).toEqual([]);
}, 300_000);

import { findProblems } from '../../reliability/find-problems';
import { runSmtpOutageScenario } from '../../reliability/scenarios/smtp-outage';
import { startReliabilityStack, type TReliabilityStack } from '../../reliability/stack';

// The small run of `npm run reliability -- --scenario smtp-outage`.
let stack: TReliabilityStack;
beforeAll(async () => {
  stack = await startReliabilityStack();
}, 180_000);
afterAll(() => stack?.close());

test('while the mail server is down, sends retry with backoff and staff see "waiting on email"; when it returns every email goes out once', async () => {
  const report = await runSmtpOutageScenario(stack, { contracts: 3, partners: 1, downMs: 10_000, timeoutMs: 180_000 });

  expect(report.shownWaitingByApi).toBe(3);
  expect(report.mostAttempts).toBeGreaterThanOrEqual(3);
  expect(report.cliLine).toMatch(
    /^EMAIL: +waiting on email: \d+ attempts? failed \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); (next try at \d{4}-|trying again now)/,
  );
  expect(report.pageNotice).toMatch(/^waiting on email: \d+ attempts? failed \(connect ECONNREFUSED/);
  expect(findProblems(report)).toEqual([]);
  expect(report.emailsLost).toEqual([]);
  expect(report.duplicateEmails).toEqual([]);
  // Four per contract; two per partner (the attestation request, then the signed attestation).
  expect(report.emailsReceived).toBe(3 * 4 + 1 * 2);
}, 300_000);

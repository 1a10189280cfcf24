import { findProblems } from '../../reliability/find-problems';
import { runServerRestartScenario } from '../../reliability/scenarios/server-restart';
import { startReliabilityStack, type TReliabilityStack } from '../../reliability/stack';

// The small run of `npm run reliability -- --scenario server-restart`.
let stack: TReliabilityStack;
beforeAll(async () => {
  stack = await startReliabilityStack();
}, 180_000);
afterAll(() => stack?.close());

test('the Temporal server stops mid-run and starts again on its SQLite file; every workflow resumes and goes live', async () => {
  const report = await runServerRestartScenario(stack, { contracts: 10, partners: 2, downMs: 5_000, timeoutMs: 240_000 });

  expect(report.liveAtStop).toBeLessThan(10);
  expect(findProblems(report)).toEqual([]);
  // A signer who posts while a part is down is told to try again (503), never shown an unexplained 500.
  expect(Object.keys(report.signer.serverErrors).filter((status) => status !== '503')).toEqual([]);
  expect(report.live).toBe(10);
  expect(report.signatureUpdatesAccepted).toBe(20);
  expect(report.emailsLost).toEqual([]);
  expect(report.duplicateEmails).toEqual([]);
  // Four per contract; two per partner (the attestation request, then the signed attestation).
  expect(report.emailsReceived).toBe(10 * 4 + 2 * 2);
  // The worker process was never restarted: it reconnected by itself.
  expect(stack.worker.starts).toBe(1);
}, 420_000);

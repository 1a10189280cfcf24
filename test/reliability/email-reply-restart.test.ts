import { findProblems, signerProblems } from '../../reliability/find-problems';
import { replyProblems, runEmailReplyRestartScenario } from '../../reliability/scenarios/email-reply-restart';
import { startReliabilityStack, type TReliabilityStack } from '../../reliability/stack';

// The small run of `npm run reliability -- --scenario email-reply-restart`.
let stack: TReliabilityStack;
beforeAll(async () => {
  stack = await startReliabilityStack();
}, 180_000);
afterAll(() => stack?.close());

test('signers reply by email while the Temporal server restarts: every reply signs once, none is lost or refused', async () => {
  const report = await runEmailReplyRestartScenario(stack, { contracts: 8, partners: 2, downMs: 5_000, timeoutMs: 240_000 });

  expect(report.liveAtStop).toBeLessThan(8);
  expect([...findProblems(report), ...signerProblems(report.signer), ...replyProblems(report)]).toEqual([]);
  expect(report.live).toBe(8);
  expect(report.signatureUpdatesAccepted).toBe(16);
  expect(report.answers.signed).toBe(16);
  expect(report.repliesLost).toBe(0);
  // Only signing answers: no reply was "not understood", refused or not found.
  expect(Object.keys(report.answers).filter((outcome) => outcome !== 'signed' && outcome !== 'already_signed')).toEqual([]);
  expect(report.emailsLost).toEqual([]);
}, 420_000);

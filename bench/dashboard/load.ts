import { performance } from 'node:perf_hooks';
import type { TCpoContext } from '../../client/context';
import { CpoUnavailableError } from '../../client/errors';
import { startContract } from '../../client/contracts';
import type { TContractRequestInput } from '../../domain/schemas/contract';
import { contractWorkflowId } from '../../domain/vocabulary';
import { registerPartner } from '../lib/register-partner';
import { runWithConcurrency, sleep } from '../lib/stats';
import { LoadTally, type TBenchPartner } from './bench-data';
import { PARTNER_SETUPS_IN_FLIGHT, SETTLE_STALL_MS, STARTS_IN_FLIGHT } from './options';

// Load: partners registered, contracts started, then settled.

/** Applies every partner; certified ones are reviewed, certified and sign their attestation. */
export async function registerPartners(context: TCpoContext, partners: TBenchPartner[]): Promise<void> {
  await runWithConcurrency(partners, PARTNER_SETUPS_IN_FLIGHT, ({ application, certified }) =>
    registerPartner(context, application, certified),
  );
}

/** A start answered "try again" is tried again this many times, waiting longer each time (up to 30 s), before the benchmark stops. */
const MAX_START_ATTEMPTS = 12;
const retryDelayMs = (attempt: number): number => Math.min(30_000, 1_000 * 2 ** (attempt - 1));

export async function startContracts(
  context: TCpoContext,
  requests: TContractRequestInput[],
): Promise<{ seconds: number; perSecond: number; retried: number }> {
  const started = performance.now();
  const reportEvery = Math.max(100, Math.round(requests.length / 10));
  let done = 0;
  let retried = 0;
  await runWithConcurrency(requests, STARTS_IN_FLIGHT, async (request) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await startContract(context, request);
        break;
      } catch (error) {
        // "Try again" (the client's 503): the start may have gone through before the answer was lost.
        if (!(error instanceof CpoUnavailableError) || attempt >= MAX_START_ATTEMPTS) throw error;
        retried += 1;
        await sleep(retryDelayMs(attempt));
        const exists = await context.client.workflow
          .getHandle(contractWorkflowId(request.contractId))
          .describe()
          .then(
            () => true,
            () => false,
          );
        if (exists) break;
      }
    }
    done += 1;
    if (done % reportEvery === 0 || done === requests.length) {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  started ${done.toLocaleString('en-US')}/${requests.length.toLocaleString('en-US')} (${(done / seconds).toFixed(1)}/s)`,
      );
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: requests.length / seconds, retried };
}

/**
 * Waits until visibility lists every contract and the worker has drained: none still `initiated`, every contract
 * of a certified partner waiting for the partner's signature, and its signature request delivered.
 */
export async function waitUntilSettled(context: TCpoContext, tally: LoadTally, mail: { signatureRequests: number }): Promise<number> {
  const started = performance.now();
  const count = async (clause = '') => (await context.client.workflow.count(`WorkflowType = 'contractWorkflow'${clause}`)).count;
  let last = '';
  let lastChangeMs = Date.now();
  let lastPrintMs = 0;
  for (;;) {
    const [visible, initiated, awaitingSignature] = await Promise.all([
      count(),
      count(` AND CpoStage = 'initiated'`),
      count(` AND CpoStage = 'awaiting_partner_signature'`),
    ]);
    const state = `visible ${visible}/${tally.total}, initiated ${initiated}, awaiting partner signature ${awaitingSignature}/${tally.awaitingSignature}, signature emails ${mail.signatureRequests}/${tally.awaitingSignature}`;
    if (
      visible === tally.total &&
      initiated === 0 &&
      awaitingSignature === tally.awaitingSignature &&
      mail.signatureRequests >= tally.awaitingSignature
    ) {
      console.log(`  settled: ${state}`);
      return (performance.now() - started) / 1000;
    }
    if (state !== last) {
      last = state;
      lastChangeMs = Date.now();
    } else if (Date.now() - lastChangeMs > SETTLE_STALL_MS) {
      throw new Error(`The load did not settle (no change for ${SETTLE_STALL_MS / 1000} s): ${state}`);
    }
    if (Date.now() - lastPrintMs > 5000) {
      console.log(`  settling: ${state}`);
      lastPrintMs = Date.now();
    }
    await sleep(1000);
  }
}

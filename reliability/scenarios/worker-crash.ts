import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../scripts/seeded-random';
import { startAutoSigner, type TAutoSignerStats } from '../auto-signer';
import { setUpPartners, startContracts, verifyLifecycles, type TLifecycleReport, type TScenarioOptions } from '../drive-lifecycles';
import { countContractsIn, waitForAllLive } from '../wait-for-progress';
import type { TReliabilityStack } from '../stack';

export interface TWorkerCrashOptions extends TScenarioOptions {
  /** A kill comes at a random moment between these many ms after the restarted worker polls again. */
  killAfterMs: [min: number, max: number];
  /** Stop killing after this many kills (the run then finishes undisturbed); unset: until every contract is live. */
  maxKills?: number;
  /** Seeds the kill moments, so a run can be repeated. */
  seed: number;
}

export interface TWorkerCrashReport extends TLifecycleReport {
  /** Kills made while some contracts were not live yet. */
  kills: number;
  signer: TAutoSignerStats;
  durationMs: number;
}

/**
 * Contracts go from start to live with every signature posted over HTTP, while the worker process is killed
 * with SIGKILL at random moments and started again, until every contract is live.
 */
export async function runWorkerCrashScenario(stack: TReliabilityStack, options: TWorkerCrashOptions): Promise<TWorkerCrashReport> {
  const began = Date.now();
  const runId = `crash-${began.toString(36)}`;
  const random = seededRandom(options.seed);
  const partnerIds = await setUpPartners(stack.context, runId, options.partners);
  const signer = startAutoSigner(stack.mail, options.log);
  let kills = 0;
  let done = false;
  const chaos = (async () => {
    while (!done && kills < (options.maxKills ?? Infinity)) {
      const [min, max] = options.killAfterMs;
      await sleep(min + random() * (max - min));
      // Only a kill while work is outstanding tests anything.
      if (done || (await countContractsIn(stack.context, 'live').catch(() => 0)) === options.contracts) break;
      await stack.worker.kill();
      kills += 1;
      options.log?.(`killed the worker (kill ${kills}); starting another`);
      await stack.worker.start();
    }
  })();
  try {
    const contractIds = await startContracts(stack.context, runId, partnerIds, options.contracts);
    await waitForAllLive(stack.context, options.contracts, {
      timeoutMs: options.timeoutMs,
      pollMs: 2_000,
      failure: signer.failure,
      log: options.log,
      progress: () => `${kills} kills, ${stack.mail.messages.length} emails`,
    });
    done = true;
    await chaos;
    signer.stop();
    const report = await verifyLifecycles(stack.context, contractIds, partnerIds, stack.mail.messages);
    return { ...report, kills, signer: signer.stats, durationMs: Date.now() - began };
  } finally {
    done = true;
    signer.stop();
    await chaos.catch(() => undefined);
  }
}

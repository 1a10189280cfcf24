import { setTimeout as sleep } from 'node:timers/promises';
import { startAutoSigner, type TAutoSignerStats } from '../auto-signer';
import { setUpPartners, startContracts, verifyLifecycles, type TLifecycleReport, type TScenarioOptions } from '../drive-lifecycles';
import { countContractsIn, waitFor, waitForAllLive } from '../wait-for-progress';
import type { TReliabilityStack } from '../stack';

export interface TStackFaultsOptions extends TScenarioOptions {
  /** How long each broken part stays down. */
  downMs: number;
}

export interface TStackFaultsReport extends TLifecycleReport {
  /** Contracts live when each fault began. */
  liveAt: { workerKill: number; postgresRestart: number; temporalRestart: number };
  downMs: number;
  /** From the Temporal server's return until every contract was live. */
  recoveryMs: number;
  signer: TAutoSignerStats;
  durationMs: number;
}

/**
 * The production topology under its three faults, one after another while contracts are mid-way: the first of
 * the workers is SIGKILLed (the others carry on) and started again later, PostgreSQL is restarted under the
 * Temporal server, then the Temporal server itself is restarted. Every contract must still go live.
 */
export async function runStackFaultsScenario(stack: TReliabilityStack, options: TStackFaultsOptions): Promise<TStackFaultsReport> {
  const { postgres } = stack;
  if (!postgres) throw new Error('The stack-faults scenario needs the production stack (--stack production)');
  const began = Date.now();
  const runId = `faults-${began.toString(36)}`;
  const live = () => countContractsIn(stack.context, 'live');
  // Between faults, some progress (a quarter of the contracts) or 5 minutes, whichever comes first.
  const waitForLive = (count: number) =>
    waitFor(`${count} live contracts`, async () => (await live()) >= count, {
      timeoutMs: Math.min(options.timeoutMs, 300_000),
      pollMs: 500,
      failure: signer.failure,
    });

  const partnerIds = await setUpPartners(stack.context, runId, options.partners);
  const signer = startAutoSigner(stack.mail, options.log);
  try {
    const contractIds = await startContracts(stack.context, runId, partnerIds, options.contracts);
    const step = Math.max(1, Math.floor(options.contracts / 4));

    await waitForLive(1);
    const liveAtKill = await live();
    options.log?.(`SIGKILL worker 1 of ${stack.workers.length} with ${liveAtKill}/${options.contracts} live`);
    await stack.worker.kill();
    await sleep(options.downMs);
    await stack.worker.start();

    await waitForLive(Math.min(options.contracts, liveAtKill + step)).catch(() => undefined);
    const liveAtPostgres = await live();
    options.log?.(`restarting PostgreSQL with ${liveAtPostgres}/${options.contracts} live`);
    await postgres.stop();
    await sleep(options.downMs);
    await postgres.start();

    await waitForLive(Math.min(options.contracts, liveAtPostgres + step)).catch(() => undefined);
    const liveAtTemporal = await live();
    options.log?.(`restarting the Temporal server with ${liveAtTemporal}/${options.contracts} live`);
    await stack.temporal.stop();
    await sleep(options.downMs);
    await stack.temporal.start();
    const restartedAt = Date.now();

    await waitForAllLive(stack.context, options.contracts, {
      timeoutMs: options.timeoutMs,
      pollMs: 2_000,
      failure: signer.failure,
      log: options.log,
      progress: () => `${stack.mail.messages.length} emails`,
    });
    const recoveryMs = Date.now() - restartedAt;
    signer.stop();
    const report = await verifyLifecycles(stack.context, contractIds, partnerIds, stack.mail.messages);
    return {
      ...report,
      liveAt: { workerKill: liveAtKill, postgresRestart: liveAtPostgres, temporalRestart: liveAtTemporal },
      downMs: options.downMs,
      recoveryMs,
      signer: signer.stats,
      durationMs: Date.now() - began,
    };
  } finally {
    signer.stop();
  }
}

/** Both workers must have done some of the work (their identities appear in the histories). */
export function stackFaultsProblems(report: TStackFaultsReport, workers: number): string[] {
  return report.workerIdentities >= workers ? [] : [`only ${report.workerIdentities} worker processes ran tasks; ${workers} were started`];
}

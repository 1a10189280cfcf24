import { setTimeout as sleep } from 'node:timers/promises';
import { startAutoSigner, type TAutoSignerStats, type TSignBy } from '../auto-signer';
import { setUpPartners, startContracts, verifyLifecycles, type TLifecycleReport, type TScenarioOptions } from '../drive-lifecycles';
import { countContractsIn, waitFor, waitForAllLive } from '../wait-for-progress';
import type { TReliabilityStack } from '../stack';

export interface TServerRestartOptions extends TScenarioOptions {
  /** How long the Temporal server stays down. */
  downMs: number;
  /** How the signers answer their requests; by link unless set. */
  signBy?: TSignBy;
}

export interface TServerRestartReport extends TLifecycleReport {
  /** Contracts live when the server stopped: the rest were mid-way. */
  liveAtStop: number;
  downMs: number;
  /** From the server's start until every contract was live. */
  recoveryMs: number;
  signer: TAutoSignerStats;
}

/**
 * The Temporal dev server (state in its SQLite file) is stopped while contracts are mid-way through signing and
 * started again on the same file; the same worker process and HTTP server carry on, and every contract goes live.
 */
export async function runServerRestartScenario(stack: TReliabilityStack, options: TServerRestartOptions): Promise<TServerRestartReport> {
  const runId = `restart-${Date.now().toString(36)}`;
  const partnerIds = await setUpPartners(stack.context, runId, options.partners);
  const signer = startAutoSigner(stack.mail, options.log, options.signBy);
  try {
    const contractIds = await startContracts(stack.context, runId, partnerIds, options.contracts);
    // Stop once some contracts are live and others are still being signed.
    await waitFor('the first live contract', async () => (await countContractsIn(stack.context, 'live')) > 0, {
      timeoutMs: options.timeoutMs,
      pollMs: 200,
      failure: signer.failure,
    });
    const liveAtStop = await countContractsIn(stack.context, 'live');
    options.log?.(`stopping the Temporal server with ${liveAtStop}/${options.contracts} contracts live`);
    await stack.temporal.stop();
    await sleep(options.downMs);
    await stack.temporal.start();
    const restartedAt = Date.now();
    options.log?.('Temporal server started again on the same SQLite file');
    await waitForAllLive(stack.context, options.contracts, { timeoutMs: options.timeoutMs, failure: signer.failure, log: options.log });
    const recoveryMs = Date.now() - restartedAt;
    signer.stop();
    const report = await verifyLifecycles(stack.context, contractIds, partnerIds, stack.mail.messages);
    return { ...report, liveAtStop, downMs: options.downMs, recoveryMs, signer: signer.stats };
  } finally {
    signer.stop();
  }
}

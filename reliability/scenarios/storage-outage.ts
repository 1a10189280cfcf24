import { setTimeout as sleep } from 'node:timers/promises';
import type { TActivityDelay, TWaitingOn } from '../../client/activity-delays';
import { startAutoSigner, type TAutoSignerStats } from '../auto-signer';
import {
  certifyNewPartner,
  setUpPartners,
  signAttestationWhenRequested,
  startContracts,
  verifyLifecycles,
  type TLifecycleReport,
  type TScenarioOptions,
} from '../drive-lifecycles';
import { countContractsIn, countFailedWorkflows, waitFor } from '../wait-for-progress';
import { readDelayNotices } from '../read-delay-notices';
import type { TReliabilityStack } from '../stack';

export interface TStorageOutageOptions extends TScenarioOptions {
  /** How long the document store stays down. */
  downMs: number;
}

export interface TStorageOutageReport extends TLifecycleReport {
  downMs: number;
  /** Contracts, and the agency certified during the outage, that the JSON API showed as waiting on document storage. */
  shownWaitingByApi: number;
  /** The most attempts one document had made when the store came back. */
  mostAttempts: number;
  /** What `cpo status --contract-id` printed for the first contract during the outage. */
  cliLine: string;
  /** The notice on the first contract's dashboard page during the outage. */
  pageNotice: string;
  /** Workflows that failed (none may: an outage is waited out). */
  failedWorkflows: number;
  /** From the store's return until every contract was live. */
  recoveryMs: number;
  signer: TAutoSignerStats;
}

/**
 * The S3-compatible document store is down while contracts make their contract PDFs and a newly certified agency
 * makes its attestation form: the document activities retry with backoff, staff see "waiting on document storage",
 * no workflow fails, and when the store returns every contract goes live; the agency then signs its attestation and
 * a new contract of it goes live too.
 */
export async function runStorageOutageScenario(stack: TReliabilityStack, options: TStorageOutageOptions): Promise<TStorageOutageReport> {
  const s3 = stack.s3;
  if (!s3) throw new Error('The storage-outage scenario needs a stack started with { s3: true }');
  const runId = `storage-${Date.now().toString(36)}`;
  const partnerIds = await setUpPartners(stack.context, runId, options.partners);
  await s3.stop();
  const stoppedAt = Date.now();
  options.log?.('document store down');
  const latePartnerId = `${runId}-partner-late`;
  await certifyNewPartner(stack.context, latePartnerId, 'Reliability Partner certified during the outage');
  const contractIds = await startContracts(stack.context, runId, partnerIds, options.contracts);

  const view = async (path: string): Promise<TWaitingOn | null> => {
    const answer = await fetch(`${stack.baseUrl}/api/${path}`, { headers: { authorization: stack.apiAuthorization } });
    return answer.status === 200 ? ((await answer.json()) as TWaitingOn) : null;
  };
  const watched = [...contractIds.map((id) => `contracts/${id}`), `partners/${latePartnerId}`];
  const delays = new Map<string, TActivityDelay>();
  await waitFor(
    'every contract and the new agency to show as waiting on document storage',
    async () => {
      await Promise.all(
        watched
          .filter((path) => !delays.has(path))
          .map(async (path) => {
            const waiting = (await view(path))?.waitingOnStorage;
            if (waiting) delays.set(path, waiting);
          }),
      );
      return delays.size === watched.length;
    },
    { timeoutMs: Math.max(options.downMs, 60_000), pollMs: 500 },
  );
  const { cliLine, pageNotice } = await readDelayNotices(stack, contractIds[0]!, 'storage');
  await sleep(Math.max(0, options.downMs - (Date.now() - stoppedAt)));

  const latest = await Promise.all(watched.map(async (path) => (await view(path))?.waitingOnStorage?.attempt ?? 0));
  const failedDuringOutage = await countFailedWorkflows(stack.context);
  await s3.start();
  const returnedAt = Date.now();
  options.log?.(`document store back after ${returnedAt - stoppedAt} ms`);
  if (failedDuringOutage > 0)
    throw new Error(`${failedDuringOutage} workflows failed during the ${returnedAt - stoppedAt} ms outage of the document store`);
  const signer = startAutoSigner(stack.mail, options.log);
  try {
    // The agency made its form once the store returned; a contract of it needs the attestation signed.
    await signAttestationWhenRequested(stack.context, latePartnerId, options.timeoutMs);
    const lateContractIds = await startContracts(stack.context, `${runId}-late`, [latePartnerId], 1);
    const allContractIds = [...contractIds, ...lateContractIds];
    let failedWorkflows = 0;
    await waitFor(
      `${allContractIds.length} contracts to be live`,
      async () => {
        failedWorkflows = await countFailedWorkflows(stack.context);
        return (await countContractsIn(stack.context, 'live')) === allContractIds.length;
      },
      {
        timeoutMs: options.timeoutMs,
        pollMs: 1_000,
        failure: () => signer.failure() ?? (failedWorkflows > 0 ? new Error(`${failedWorkflows} workflows failed`) : undefined),
      },
    );
    const recoveryMs = Date.now() - returnedAt;
    signer.stop();
    const report = await verifyLifecycles(stack.context, allContractIds, [...partnerIds, latePartnerId], stack.mail.messages);
    return {
      ...report,
      downMs: returnedAt - stoppedAt,
      shownWaitingByApi: delays.size,
      mostAttempts: Math.max(...latest),
      cliLine,
      pageNotice,
      failedWorkflows,
      recoveryMs,
      signer: signer.stats,
    };
  } finally {
    signer.stop();
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { TActivityDelay } from '../../client/activity-delays';
import { startAutoSigner, type TAutoSignerStats } from '../auto-signer';
import { setUpPartners, startContracts, verifyLifecycles, type TLifecycleReport, type TScenarioOptions } from '../drive-lifecycles';
import { waitFor, waitForAllLive } from '../wait-for-progress';
import { readDelayNotices } from '../read-delay-notices';
import type { TReliabilityStack } from '../stack';

export interface TSmtpOutageOptions extends TScenarioOptions {
  /** How long the mail server stays down. */
  downMs: number;
}

export interface TSmtpOutageReport extends TLifecycleReport {
  downMs: number;
  /** Contracts the JSON API showed as waiting on email during the outage. */
  shownWaitingByApi: number;
  /** The most attempts one email had made when the mail server came back. */
  mostAttempts: number;
  /** What `cpo status --contract-id` printed for the first contract during the outage. */
  cliLine: string;
  /** The notice on the first contract's dashboard page during the outage. */
  pageNotice: string;
  /** From the mail server's return until every contract's first signature request arrived. */
  deliveredWithinMs: number;
  signer: TAutoSignerStats;
}

/**
 * The mail server is down while contracts send their signature requests: the sends retry with backoff, the
 * dashboard's API and the CLI show each contract as waiting on email, and when the server returns every request
 * goes out once and the contracts go on to live.
 */
export async function runSmtpOutageScenario(stack: TReliabilityStack, options: TSmtpOutageOptions): Promise<TSmtpOutageReport> {
  const runId = `outage-${Date.now().toString(36)}`;
  const partnerIds = await setUpPartners(stack.context, runId, options.partners);
  await stack.mail.stop();
  const stoppedAt = Date.now();
  options.log?.('mail server down');
  const contractIds = await startContracts(stack.context, runId, partnerIds, options.contracts);

  const delays = new Map<string, TActivityDelay>();
  await waitFor(
    'every contract to show as waiting on email',
    async () => {
      for (const contractId of contractIds.filter((id) => !delays.has(id))) {
        const answer = await fetch(`${stack.baseUrl}/api/contracts/${contractId}`, { headers: { authorization: stack.apiAuthorization } });
        const body = (await answer.json()) as { waitingOnEmail?: TActivityDelay | null };
        if (answer.status === 200 && body.waitingOnEmail) delays.set(contractId, body.waitingOnEmail);
      }
      return delays.size === contractIds.length;
    },
    { timeoutMs: Math.max(options.downMs, 60_000), pollMs: 500 },
  );
  const { cliLine, pageNotice } = await readDelayNotices(stack, contractIds[0]!, 'email');
  await sleep(Math.max(0, options.downMs - (Date.now() - stoppedAt)));

  const latest = await Promise.all(
    contractIds.map(async (id) => {
      const answer = await fetch(`${stack.baseUrl}/api/contracts/${id}`, { headers: { authorization: stack.apiAuthorization } });
      return ((await answer.json()) as { waitingOnEmail?: TActivityDelay | null }).waitingOnEmail?.attempt ?? 0;
    }),
  );
  await stack.mail.start();
  const returnedAt = Date.now();
  options.log?.(`mail server back after ${returnedAt - stoppedAt} ms`);
  const signer = startAutoSigner(stack.mail, options.log);
  try {
    await waitFor(
      'every first signature request',
      () => contractIds.every((id) => stack.mail.messages.some((m) => m.parsed.headers.get('x-cpo-contract') === id)),
      {
        timeoutMs: options.timeoutMs,
        pollMs: 200,
      },
    );
    const deliveredWithinMs = Date.now() - returnedAt;
    await waitForAllLive(stack.context, options.contracts, { timeoutMs: options.timeoutMs, failure: signer.failure });
    signer.stop();
    const report = await verifyLifecycles(stack.context, contractIds, partnerIds, stack.mail.messages);
    return {
      ...report,
      downMs: returnedAt - stoppedAt,
      shownWaitingByApi: delays.size,
      mostAttempts: Math.max(...latest),
      cliLine,
      pageNotice,
      deliveredWithinMs,
      signer: signer.stats,
    };
  } finally {
    signer.stop();
  }
}

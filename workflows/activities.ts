// Activity stubs with the timeouts and retry caps each kind of work needs.
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

type TActivities = ReturnType<typeof createActivities>;

/**
 * Documents, made and stored (folder, S3/MinIO). A PDF takes well under a second; a worker that dies mid-way has
 * its PDF made again after 20 s. The store may be down for a while (a restart, a network fault): retry with backoff
 * capped at a minute for as long as it takes, never failing the workflow, which could not be resumed (an agency that
 * failed no longer answers its contracts). Staff see "waiting on document storage" meanwhile (client/activity-delays.ts).
 */
export const documents = proxyActivities<TActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Emails retry with backoff through a mail-server outage of about an hour, then give up (capped, and idempotent). */
export const mail = proxyActivities<TActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '10 minutes', maximumAttempts: 12 },
});

/** Starting next year's contract: a refusal by the current policy fails at once and shows on the contract. */
export const contracts = proxyActivities<TActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2s', maximumAttempts: 10, nonRetryableErrorTypes: ['RenewalRefused'] },
});

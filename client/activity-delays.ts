import { formatInstant } from '../domain/format-instant';
import type { WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';

/** Work a workflow is still trying to do because a server it needs (mail, document storage) failed or was unreachable. */
export interface TActivityDelay {
  /** The attempt being made or waited for; 2 means one attempt failed. */
  attempt: number;
  lastError: string | null;
  /** When the next attempt starts, while it waits between attempts. */
  nextAttemptAt: string | null;
}

/** Null while that work goes through normally. */
export interface TWaitingOn {
  waitingOnEmail: TActivityDelay | null;
  waitingOnStorage: TActivityDelay | null;
}

/** The activities behind each kind of wait: sending mail, and making documents (stored as they are made). */
const ACTIVITIES_OF: Record<keyof TWaitingOn, readonly string[]> = {
  waitingOnEmail: ['sendNotification'],
  waitingOnStorage: ['generateContractPdf', 'generateAttestationPdf', 'generateExecutedContractPdf'],
};

const WHAT: Record<keyof TWaitingOn, string> = { waitingOnEmail: 'email', waitingOnStorage: 'document storage' };

type TPendingActivity = NonNullable<Awaited<ReturnType<WorkflowHandle['describe']>>['raw']['pendingActivities']>[number];

function mostRetried(pending: TPendingActivity[], activityTypes: readonly string[]): TActivityDelay | null {
  // A first attempt in flight is normal work, not a delay.
  const retrying = pending.filter((activity) => activityTypes.includes(activity.activityType?.name ?? '') && (activity.attempt ?? 1) > 1);
  if (retrying.length === 0) return null;
  const most = retrying.reduce((a, b) => ((b.attempt ?? 1) > (a.attempt ?? 1) ? b : a));
  const nextAttemptMs = optionalTsToMs(most.nextAttemptScheduleTime);
  return {
    attempt: most.attempt ?? 1,
    lastError: most.lastFailure?.message ?? null,
    nextAttemptAt: nextAttemptMs !== undefined ? new Date(nextAttemptMs).toISOString() : null,
  };
}

/**
 * Asks the server, not the workflow: a retrying activity is pending with its attempt count and last failure, which
 * only Temporal knows. One describe call answers both kinds.
 */
export async function activityDelaysOf(handle: WorkflowHandle): Promise<TWaitingOn> {
  const pending = (await handle.describe()).raw.pendingActivities ?? [];
  return {
    waitingOnEmail: mostRetried(pending, ACTIVITIES_OF.waitingOnEmail),
    waitingOnStorage: mostRetried(pending, ACTIVITIES_OF.waitingOnStorage),
  };
}

/** One line for the CLI and the dashboard: "waiting on email: 3 attempts failed (…); next try at …". */
/** Times in `timeZone`, the district's. */
export function describeDelay(kind: keyof TWaitingOn, delay: TActivityDelay, timeZone: string): string {
  const failed = delay.attempt - 1;
  return [
    `waiting on ${WHAT[kind]}: ${failed} ${failed === 1 ? 'attempt' : 'attempts'} failed`,
    delay.lastError ? ` (${delay.lastError})` : '',
    delay.nextAttemptAt ? `; next try at ${formatInstant(delay.nextAttemptAt, timeZone, { seconds: true })}` : '; trying again now',
  ].join('');
}

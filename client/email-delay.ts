import { formatInstant } from '../domain/format-instant';
import type { WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';

/** An email a workflow is still trying to send because the mail server refused it or could not be reached. */
export interface TEmailDelay {
  /** The attempt being made or waited for; 2 means one attempt failed. */
  attempt: number;
  lastError: string | null;
  /** When the next attempt starts, while it waits between attempts. */
  nextAttemptAt: string | null;
}

export interface TWaitingOnEmail {
  /** Null while mail goes out normally. */
  waitingOnEmail: TEmailDelay | null;
}

const SEND_EMAIL_ACTIVITY = 'sendNotification';

/**
 * Asks the server, not the workflow: the retrying send is a pending activity with its attempt count and last
 * failure, which only Temporal knows. A first attempt in flight is normal sending, not a delay.
 */
export async function emailDelayOf(handle: WorkflowHandle): Promise<TEmailDelay | null> {
  const { raw } = await handle.describe();
  const sending = (raw.pendingActivities ?? []).filter(
    (activity) => activity.activityType?.name === SEND_EMAIL_ACTIVITY && (activity.attempt ?? 1) > 1,
  );
  if (sending.length === 0) return null;
  const mostRetried = sending.reduce((a, b) => ((b.attempt ?? 1) > (a.attempt ?? 1) ? b : a));
  const nextAttemptMs = optionalTsToMs(mostRetried.nextAttemptScheduleTime);
  return {
    attempt: mostRetried.attempt ?? 1,
    lastError: mostRetried.lastFailure?.message ?? null,
    nextAttemptAt: nextAttemptMs !== undefined ? new Date(nextAttemptMs).toISOString() : null,
  };
}

/** One line for the CLI and the dashboard: "waiting on email: attempt 3 failed (…); next try at …". */
export function describeEmailDelay(delay: TEmailDelay, timeZone: string): string {
  const failed = delay.attempt - 1;
  return [
    `waiting on email: ${failed} ${failed === 1 ? 'attempt' : 'attempts'} failed`,
    delay.lastError ? ` (${delay.lastError})` : '',
    delay.nextAttemptAt ? `; next try at ${formatInstant(delay.nextAttemptAt, timeZone, { seconds: true })}` : '; trying again now',
  ].join('');
}

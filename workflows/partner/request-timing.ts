import { durationToMs } from '../../domain/durations';
import type { TPolicy } from '../../domain/policy';
import { nowIso } from '../support';

/** A request emailed to the representative that is reminded, then expires, on the policy's signature periods. */
export interface TFollowedRequest {
  requestedAt: string;
  reminders?: number;
  expiredAt?: string;
}

/**
 * The reminder and expiry arithmetic of requests to the representative (attestation, agency records): a reminder
 * every `signature.remindEvery` after the request, expiry `signature.expireAfter` after it.
 */
export function requestTiming(policy: TPolicy) {
  const remindEveryMs = durationToMs(policy.signature.remindEvery);
  const expireAfterMs = durationToMs(policy.signature.expireAfter);
  const deadlineOf = (request: TFollowedRequest): number => Date.parse(request.requestedAt) + expireAfterMs;
  const nextReminderOf = (request: TFollowedRequest): number =>
    Date.parse(request.requestedAt) + ((request.reminders ?? 0) + 1) * remindEveryMs;
  const dueAt = (request: TFollowedRequest): number => Math.min(deadlineOf(request), nextReminderOf(request));
  return {
    deadlineOf,
    /** How long until the first of these open requests is due a reminder or expiry, if any is open. */
    msUntilDue: (open: readonly TFollowedRequest[]): number | undefined =>
      open.length > 0 ? Math.max(Math.min(...open.map(dueAt)) - Date.now(), 1) : undefined,
    isDue: (request: TFollowedRequest): boolean => dueAt(request) <= Date.now(),
    /** Marks an open request expired, or counts its next reminder, when due; says which (undefined: nothing due). */
    step(request: TFollowedRequest): 'expired' | 'reminded' | undefined {
      if (deadlineOf(request) <= Date.now()) {
        request.expiredAt = nowIso();
        return 'expired';
      }
      if (nextReminderOf(request) > Date.now()) return undefined;
      request.reminders = (request.reminders ?? 0) + 1;
      return 'reminded';
    },
  };
}

/** The sooner of some waits, any of which may be absent. */
export function soonestOf(...ms: (number | undefined)[]): number | undefined {
  const known = ms.filter((m): m is number => m !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

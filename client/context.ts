import { Client, Connection } from '@temporalio/client';
import type { TEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import { startOfDateMs } from '../domain/dates';
import type { TPolicy } from '../domain/policy';

/** What every client operation needs: a Temporal client, the task queue, the policy new workflows start with, and a clock. */
export interface TCpoContext {
  client: Client;
  taskQueue: string;
  policy: TPolicy;
  /** "Today" for input checks (a term may not end before it); workflows use their own workflow time. */
  now: () => number;
}

/** The real clock, or with CPO_TODAY (tests that move the date) noon of that day in the district's time zone. */
export function clockFor(today: string | undefined, timeZone: string): () => number {
  if (!today) return Date.now;
  const noon = startOfDateMs(today, timeZone) + 12 * 3_600_000;
  return () => noon;
}

export function connectCpo(env: TEnv): { context: TCpoContext; close: () => Promise<void> } {
  const policy = loadPolicy(env.CPO_POLICY_FILE);
  // Lazy: nothing is contacted until the first call, so bad input is refused even when the server is down.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  return {
    context: { client, taskQueue: env.TEMPORAL_TASK_QUEUE, policy, now: clockFor(env.CPO_TODAY, policy.timeZone) },
    close: () => connection.close(),
  };
}

import { Client, Connection } from '@temporalio/client';
import type { TEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import type { TPolicy } from '../domain/policy';

/** What every client operation needs: a Temporal client, the task queue, and the policy new workflows start with. */
export interface TCpoContext {
  client: Client;
  taskQueue: string;
  policy: TPolicy;
}

export function connectCpo(env: TEnv): { context: TCpoContext; close: () => Promise<void> } {
  const policy = loadPolicy(env.CPO_POLICY_FILE);
  // Lazy: nothing is contacted until the first call, so bad input is refused even when the server is down.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  return { context: { client, taskQueue: env.TEMPORAL_TASK_QUEUE, policy }, close: () => connection.close() };
}

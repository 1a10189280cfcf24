// Waiting for the run to get somewhere: polls that count a part being down as "not yet", and the counts they poll.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TCpoContext } from '../client/context';

/**
 * Polls `check` until it holds; its errors (a part that is down) count as "not yet". `failure` is a problem
 * found elsewhere that ends the wait at once.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs, pollMs = 500, failure }: { timeoutMs: number; pollMs?: number; failure?: () => Error | undefined },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const found = failure?.();
    if (found) throw found;
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(pollMs);
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
  );
}

/** How many of the run's contracts are in `stage`, from the server's visibility store (no worker needed). */
export const countContractsIn = (context: TCpoContext, stage: string): Promise<number> =>
  context.client.workflow
    .count(`TaskQueue = '${context.taskQueue}' AND WorkflowType = 'contractWorkflow' AND CpoStage = '${stage}'`)
    .then((result) => result.count);

/**
 * Waits until all `count` contracts of the run are live, logging the count (and `progress()`, if given) at each poll;
 * `failure` stops the wait with its error (a signer that gave up, a workflow that failed).
 */
export function waitForAllLive(
  context: TCpoContext,
  count: number,
  options: { timeoutMs: number; pollMs?: number; failure?: () => Error | undefined; log?: (line: string) => void; progress?: () => string },
): Promise<void> {
  return waitFor(
    `${count} contracts to be live`,
    async () => {
      const live = await countContractsIn(context, 'live');
      options.log?.(`${live}/${count} live${options.progress ? `, ${options.progress()}` : ''}`);
      return live === count;
    },
    { timeoutMs: options.timeoutMs, pollMs: options.pollMs ?? 1_000, ...(options.failure ? { failure: options.failure } : {}) },
  );
}

/** How many of the run's workflows (partners and contracts) failed: a fault that should have been waited out. */
export const countFailedWorkflows = (context: TCpoContext): Promise<number> =>
  context.client.workflow.count(`TaskQueue = '${context.taskQueue}' AND ExecutionStatus = 'Failed'`).then((result) => result.count);

import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import { encodeWorkflowUpdateStage } from '@temporalio/client/lib/workflow-update-stage';
import { eventually } from './temporal';

const ADMITTED = encodeWorkflowUpdateStage(WorkflowUpdateStage.ADMITTED)!;

/**
 * Sends updates one after the other while no worker polls the workflow's task queue, each once the server holds the
 * one before: the next worker then gets them all in one workflow task, in this order. Returns their outcomes
 * (a result, or the error), which settle once a worker runs.
 */
export async function sendAdmittedTogether(
  client: Client,
  workflowId: string,
  sends: ((updateId: string) => Promise<unknown>)[],
): Promise<Promise<unknown>[]> {
  const outcomes: Promise<unknown>[] = [];
  for (const send of sends) {
    const updateId = randomUUID();
    outcomes.push(send(updateId).catch((error: unknown) => error));
    await eventually(async () => {
      const answer = await client.workflowService.pollWorkflowExecutionUpdate({
        namespace: client.options.namespace,
        updateRef: { workflowExecution: { workflowId }, updateId },
        identity: 'sendAdmittedTogether',
        waitPolicy: { lifecycleStage: ADMITTED },
      });
      return (answer.stage ?? 0) >= ADMITTED;
    });
  }
  return outcomes;
}

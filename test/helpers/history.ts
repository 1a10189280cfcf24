import type { WorkflowHandle } from '@temporalio/client';

/** How many updates a workflow accepted: a rejected update (validator) must leave this unchanged. */
export async function acceptedUpdateCount(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
}

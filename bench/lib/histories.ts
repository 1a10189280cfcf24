// Reads workflow histories for the engine benchmark: workflow tasks, replays, and the times of the contract's steps.
import type { Client } from '@temporalio/client';
import { runWithConcurrency } from './stats';

type THistory = Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>;
type TEvent = NonNullable<THistory['events']>[number];
type TTimestamp = NonNullable<TEvent['eventTime']>;
type TPayload = { data?: Uint8Array | null } | null | undefined;

const timeOf = (timestamp: TTimestamp | null | undefined): number =>
  timestamp ? Number(String(timestamp.seconds ?? 0)) * 1000 + (timestamp.nanos ?? 0) / 1e6 : NaN;
const decode = (payload: TPayload): unknown => {
  if (!payload?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
};

export interface TActivityRun {
  name: string;
  scheduledMs: number;
  startedMs: number;
  completedMs: number;
}

/** What the benchmark needs from one run's history; times are the server's event times (epoch ms). */
export interface TRunSummary {
  workflowId: string;
  runId: string;
  type: string;
  /** Times of WorkflowTaskCompleted events: one per workflow task the worker finished. */
  completedTaskTimes: number[];
  /** Times of WorkflowTaskFailed and WorkflowTaskTimedOut events. */
  failedTaskTimes: number[];
  /**
   * Times of workflow tasks scheduled on the task queue itself rather than on the worker's sticky queue, except the
   * first: the worker did not have the workflow in its cache (evicted, or the sticky queue timed out), so it fetched
   * and replayed the whole history.
   */
  replayTaskTimes: number[];
  /** UpdateAccepted of signContract, by signer role (the update is recorded then). */
  signatureAcceptedMs: Partial<Record<'partner' | 'district', number>>;
  /** The UpsertWorkflowSearchAttributes event that set CpoStage to each stage. */
  stageMs: Record<string, number>;
  activities: TActivityRun[];
}

export function summarizeHistory(workflowId: string, runId: string, type: string, taskQueue: string, history: THistory): TRunSummary {
  const summary: TRunSummary = {
    workflowId,
    runId,
    type,
    completedTaskTimes: [],
    failedTaskTimes: [],
    replayTaskTimes: [],
    signatureAcceptedMs: {},
    stageMs: {},
    activities: [],
  };
  const activities = new Map<string, Partial<TActivityRun>>();
  let scheduledOnQueue = 0;
  for (const event of history.events ?? []) {
    const at = timeOf(event.eventTime);
    const id = String(event.eventId ?? '');
    if (event.workflowTaskCompletedEventAttributes) summary.completedTaskTimes.push(at);
    else if (event.workflowTaskFailedEventAttributes || event.workflowTaskTimedOutEventAttributes) summary.failedTaskTimes.push(at);
    else if (event.workflowTaskScheduledEventAttributes) {
      if (event.workflowTaskScheduledEventAttributes.taskQueue?.name === taskQueue && scheduledOnQueue++ > 0)
        summary.replayTaskTimes.push(at);
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const input = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input;
      if (input?.name === 'signContract') {
        const role = (decode(input.args?.payloads?.[0]) as { role?: string } | undefined)?.role;
        if (role === 'partner' || role === 'district') summary.signatureAcceptedMs[role] ??= at;
      }
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const stage = decode(event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields?.CpoStage);
      if (typeof stage === 'string') summary.stageMs[stage] ??= at;
    } else if (event.activityTaskScheduledEventAttributes) {
      activities.set(id, { name: event.activityTaskScheduledEventAttributes.activityType?.name ?? '?', scheduledMs: at });
    } else if (event.activityTaskStartedEventAttributes) {
      const run = activities.get(String(event.activityTaskStartedEventAttributes.scheduledEventId ?? ''));
      if (run) run.startedMs = at;
    } else if (event.activityTaskCompletedEventAttributes) {
      const run = activities.get(String(event.activityTaskCompletedEventAttributes.scheduledEventId ?? ''));
      if (run) run.completedMs = at;
    }
  }
  for (const run of activities.values()) {
    if (run.startedMs !== undefined && run.completedMs !== undefined) summary.activities.push(run as TActivityRun);
  }
  return summary;
}

/** Every run (open or closed, continued-as-new included) of every workflow on the task queue, summarized. */
export async function summarizeTaskQueue(client: Client, taskQueue: string, inFlight = 8): Promise<TRunSummary[]> {
  const executions: { workflowId: string; runId: string; type: string }[] = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    executions.push({ workflowId: execution.workflowId, runId: execution.runId, type: execution.type });
  }
  const summaries: TRunSummary[] = [];
  await runWithConcurrency(executions, inFlight, async ({ workflowId, runId, type }) => {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    summaries.push(summarizeHistory(workflowId, runId, type, taskQueue, history));
  });
  return summaries;
}

export const within = (times: number[], fromMs: number, toMs: number): number => times.filter((t) => t >= fromMs && t <= toMs).length;

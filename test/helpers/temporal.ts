import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TCpoContext } from '../../client/context';
import type { TPolicy } from '../../domain/policy';
import type { TContractStatus } from '../../domain/schemas/contract';
import { contractWorkflowId } from '../../domain/vocabulary';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';
import { loadPolicy } from '../../config/load-policy';
import { testClock } from './clock';
import { connectCounted, type TCountedConnection } from './counted-connection';

let runtimeQuiet = false;
/** Worker logs only errors (tests fail workflows on purpose), so test output shows test results. */
export function quietRuntime(): void {
  if (runtimeQuiet) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeQuiet = true;
}

/** How long teardown waits for client calls still in flight (a page's query, an activity's read) to end. */
const SETTLE_TIMEOUT_MS = 30_000;

/** The run's dev server as a test file sees it: a client, and the native connection its workers poll through. */
export interface TTestEnv {
  readonly client: Client;
  readonly nativeConnection: NativeConnection;
}

/**
 * Connects to the dev server that global-setup started. The client goes through a connection that counts its
 * calls, so teardown closes it only once they have ended.
 */
async function connectTestEnvironment(): Promise<{ env: TTestEnv; counted: TCountedConnection; close: () => Promise<void> }> {
  quietRuntime();
  const address = process.env.CPO_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('CPO_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global-setup)');
  const counted = await connectCounted(address);
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    env: { client: new Client({ connection: counted.connection }), nativeConnection },
    counted,
    close: async () => {
      await nativeConnection.close();
      await counted.connection.close();
    },
  };
}

export interface TTestTemporal {
  readonly env: TTestEnv;
  readonly workflowBundle: WorkflowBundleWithSourceMap;
  /** Runs a worker for the whole file; it is shut down before the connection closes. */
  runWorkerForFile(worker: Worker): void;
  /** Stops something that calls Temporal (an HTTP server) at teardown, before the workers and the connection. */
  stopBeforeWorkers(stop: () => Promise<unknown>): void;
}

/**
 * Connects to the run's dev server and bundles the workflow code once, before the file's tests, and tears down
 * after them in the order that leaves no call behind: what calls Temporal, the calls still in flight, the workers
 * started with runWorkerForFile (their activities may call too), then the connection.
 */
export function useTemporalTestEnvironment(): TTestTemporal {
  const running: { worker: Worker; done: Promise<void> }[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  let connected: Awaited<ReturnType<typeof connectTestEnvironment>> | undefined;
  const shared = {
    runWorkerForFile: (worker: Worker) => {
      running.push({ worker, done: worker.run() });
    },
    stopBeforeWorkers: (stop: () => Promise<unknown>) => {
      stops.push(stop);
    },
  } as { -readonly [K in keyof TTestTemporal]: TTestTemporal[K] };
  beforeAll(async () => {
    connected = await connectTestEnvironment();
    shared.env = connected.env;
    shared.workflowBundle = await bundleWorkflows();
  });
  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
    await connected?.counted.settled(SETTLE_TIMEOUT_MS);
    running.forEach(({ worker }) => worker.shutdown());
    await Promise.all(running.map(({ done }) => done));
    await connected?.counted.settled(SETTLE_TIMEOUT_MS);
    await connected?.close();
  });
  return shared;
}

export const bundleWorkflows = (): Promise<WorkflowBundleWithSourceMap> => bundleWorkflowCode(workflowBundleOptions());

export const uniqueTaskQueue = (name: string): string => `${name}-${randomUUID()}`;
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The Minneapolis policy with periods short enough for a test to watch reminders and expiry. */
export function testPolicy(signature: TPolicy['signature'] = { remindEvery: '1h', expireAfter: '2h' }): TPolicy {
  return { ...loadPolicy('policies/minneapolis.json'), signature };
}

/** The policy with more schools on its list: tests scope themselves by a school name no other test uses. */
export const withSchools = (policy: TPolicy, schools: readonly string[]): TPolicy => ({
  ...policy,
  schools: [...(policy.schools ?? []), ...schools],
});

export function contextFor(env: TTestEnv, taskQueue: string, policy: TPolicy = testPolicy()): TCpoContext {
  return { client: env.client, taskQueue, policy, now: testClock(policy) };
}

export async function createTestWorker(
  env: TTestEnv,
  taskQueue: string,
  workflowBundle: WorkflowBundleWithSourceMap,
  activities: object,
): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
}

/** What `check` (sync or async) gives once it holds: its value without the "not yet" ones. */
type TFound<R> = Exclude<Awaited<R>, undefined | null | false>;

/** Polls until `check` returns a value, for state that workflows reach asynchronously. */
export async function eventually<R>(check: () => R, timeoutMs = 20_000): Promise<TFound<R>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as TFound<R>;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reason = lastError instanceof Error ? `: ${String(lastError)}` : lastError === undefined ? '' : `: ${JSON.stringify(lastError)}`;
  throw new Error(`Condition not reached within ${timeoutMs} ms${reason}`);
}

/** The contract workflow's handle, typed by what the workflow returns: its final status. */
export const contractHandle = (client: Client, contractId: string) =>
  client.workflow.getHandle<(...args: unknown[]) => Promise<TContractStatus>>(contractWorkflowId(contractId));

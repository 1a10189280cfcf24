import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TCpoContext } from '../../client/context';
import type { TPolicy } from '../../domain/policy';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { loadPolicy } from '../../config/load-policy';
import { testClock } from './clock';

let runtimeQuiet = false;
/** Worker logs only errors (tests fail workflows on purpose), so test output shows test results. */
export function quietRuntime(): void {
  if (runtimeQuiet) return;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  runtimeQuiet = true;
}

/** Connects to the dev server that global-setup started. */
export async function connectTestEnvironment(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const address = process.env.CPO_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('CPO_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global-setup)');
  return TestWorkflowEnvironment.createFromExistingServer({ address });
}

export interface TTestTemporal {
  readonly env: TestWorkflowEnvironment;
  readonly workflowBundle: WorkflowBundleWithSourceMap;
  /** Runs a worker for the whole file; it is shut down before the connection closes. */
  runWorkerForFile(worker: Worker): void;
}

/**
 * Connects to the run's dev server and bundles the workflow code once, before the file's tests, and tears down
 * after them: first any worker started with runWorkerForFile, then the connection.
 */
export function useTemporalTestEnvironment(): TTestTemporal {
  const running: { worker: Worker; done: Promise<void> }[] = [];
  const shared = {
    runWorkerForFile: (worker: Worker) => {
      running.push({ worker, done: worker.run() });
    },
  } as { -readonly [K in keyof TTestTemporal]: TTestTemporal[K] };
  beforeAll(async () => {
    shared.env = await connectTestEnvironment();
    shared.workflowBundle = await bundleWorkflows();
  });
  afterAll(async () => {
    running.forEach(({ worker }) => worker.shutdown());
    await Promise.all(running.map(({ done }) => done));
    await shared.env?.teardown();
  });
  return shared;
}

export const bundleWorkflows = (): Promise<WorkflowBundleWithSourceMap> =>
  bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });

export const uniqueTaskQueue = (name: string): string => `${name}-${randomUUID()}`;
export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The Minneapolis policy with periods short enough for a test to watch reminders and expiry. */
export function testPolicy(signature: TPolicy['signature'] = { remindEvery: '1h', expireAfter: '2h' }): TPolicy {
  return { ...loadPolicy('policies/minneapolis.json'), signature };
}

/** The policy with more schools on its list: tests scope themselves by a school name no other test uses. */
export const withSchools = (policy: TPolicy, schools: readonly string[]): TPolicy => ({ ...policy, schools: [...(policy.schools ?? []), ...schools] });

export function contextFor(env: TestWorkflowEnvironment, taskQueue: string, policy: TPolicy = testPolicy()): TCpoContext {
  return { client: env.client, taskQueue, policy, now: testClock(policy) };
}

export async function createTestWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  workflowBundle: WorkflowBundleWithSourceMap,
  activities: object,
): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
}

/** Polls until `check` returns a value, for state that workflows reach asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Condition not reached within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}

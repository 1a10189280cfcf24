// Messages between the engine benchmark and its worker child (bench/lib/engine-worker.ts), over Node's IPC channel.
import type { WorkerOptions } from '@temporalio/worker';

/** The worker options the benchmark varies; everything else is the production worker's (worker/create-worker.ts). */
export type TTunedWorkerOptions = Partial<
  Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentWorkflowTaskPolls'
    | 'maxConcurrentActivityTaskPolls'
    | 'reuseV8Context'
    | 'workflowThreadPoolSize'
    | 'maxEagerActivityReservationsPerWorkflowTask'
  >
>;

/** `cpo`: the production workflows and activities; `trivial`: bench/workflows/trivial.ts only. */
export type TWorkerMode = 'cpo' | 'trivial';

/** Passed in the environment of the child. */
export const WORKER_MODE_VARIABLE = 'BENCH_WORKER_MODE';
export const WORKER_OPTIONS_VARIABLE = 'BENCH_WORKER_OPTIONS';

export type TToWorker = { type: 'status'; id: number; gc: boolean };

export interface TWorkerStatusReport {
  /** From Worker.getStatus(). */
  numCachedWorkflows: number;
  numInFlightWorkflowActivations: number;
  numInFlightActivities: number;
  /** process.memoryUsage() of the worker's main thread (workflows run in a worker thread, counted only in RSS). */
  memory: NodeJS.MemoryUsage;
  /** Whether global.gc() ran before the figures were taken (the child runs with --expose-gc). */
  collected: boolean;
}

export type TFromWorker =
  { type: 'ready'; mode: TWorkerMode; taskQueue: string; heapLimitBytes: number } | ({ type: 'status'; id: number } & TWorkerStatusReport);

import { CpuMeter } from '../lib/proc';
import { distribution, fixed, nowMs, runWithConcurrency, thousands, type TDistribution } from '../lib/stats';
import type { TOptions, TWorkerConfig } from './options';
import { type TBench, startWorker, stopWorker } from './system';

// (a) Trivial workflows.

export interface TCpuFigures {
  /** CPU seconds during the measured window: the worker child, the Temporal server, this process (client + SMTP). */
  workerSeconds: number | null;
  serverSeconds: number | null;
  benchSeconds: number | null;
  /** Share of all the machine's CPUs busy meanwhile, whoever used them. */
  machineBusy: number | null;
}

export function cpuFigures(meter: CpuMeter): TCpuFigures {
  const { seconds, machineBusy } = meter.read();
  return { workerSeconds: seconds.worker ?? null, serverSeconds: seconds.server ?? null, benchSeconds: seconds.bench ?? null, machineBusy };
}

export interface TTrivialResult {
  taskQueue: string;
  workflows: number;
  inFlight: number;
  warmUp: number;
  seconds: number;
  workflowsPerSecond: number;
  /** WorkflowTaskCompleted events per trivial workflow, counted in `historiesChecked` histories (all must agree). */
  tasksPerWorkflow: number;
  historiesChecked: number;
  workflowTasksPerSecond: number;
  /** Client side: start to result of each workflow (client.workflow.execute). */
  startToResult: TDistribution;
  cpu: TCpuFigures;
  workerCpuMsPerTask: number | null;
}

export async function trivialPhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TTrivialResult | null> {
  if (options.trivial === 0) return null;
  console.log(`\n(a) Trivial workflows, worker "${config.label}": ${thousands(options.trivial)} with ${options.trivialInFlight} in flight`);
  const taskQueue = `bench-engine-${bench.runId}-${k}-trivial`;
  const worker = await startWorker(bench, 'trivial', config, taskQueue);
  const execute = async (prefix: string, count: number): Promise<number[]> => {
    const durations: number[] = [];
    await runWithConcurrency(
      Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`),
      options.trivialInFlight,
      async (workflowId) => {
        const started = performance.now();
        await bench.client.workflow.execute('trivialWorkflow', { taskQueue, workflowId, args: [] });
        durations.push(performance.now() - started);
      },
    );
    return durations;
  };
  const prefix = `trivial-${bench.runId}-${k}`;
  const warmUp = Math.min(100, Math.max(10, Math.ceil(options.trivial / 20)));
  await Promise.race([execute(`${prefix}-warm`, warmUp), worker.crashed]);

  const meter = new CpuMeter({ worker: worker.pid, server: bench.serverPid });
  const started = nowMs();
  const durations = await Promise.race([execute(`${prefix}-m`, options.trivial), worker.crashed]);
  const seconds = (nowMs() - started) / 1000;
  const cpu = cpuFigures(meter);

  // A trivial workflow should take exactly one workflow task; count it in a spread of histories rather than assume it.
  const sample = Array.from(
    { length: Math.min(20, options.trivial) },
    (_, i) => `${prefix}-m-${1 + Math.floor((i * options.trivial) / Math.min(20, options.trivial))}`,
  );
  const counts = await Promise.all(
    sample.map(
      async (workflowId) =>
        ((await bench.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter(
          (e) => e.workflowTaskCompletedEventAttributes,
        ).length,
    ),
  );
  const tasksPerWorkflow = counts.reduce((sum, n) => sum + n, 0) / counts.length;
  if (new Set(counts).size !== 1)
    console.warn(`  Warning: trivial workflows took different numbers of workflow tasks: ${counts.join(', ')}`);
  await stopWorker(bench, worker);

  const tasks = tasksPerWorkflow * options.trivial;
  const result: TTrivialResult = {
    taskQueue,
    workflows: options.trivial,
    inFlight: options.trivialInFlight,
    warmUp,
    seconds,
    workflowsPerSecond: options.trivial / seconds,
    tasksPerWorkflow,
    historiesChecked: counts.length,
    workflowTasksPerSecond: tasks / seconds,
    startToResult: distribution(durations)!,
    cpu,
    workerCpuMsPerTask: cpu.workerSeconds === null ? null : (cpu.workerSeconds * 1000) / tasks,
  };
  console.log(
    `  ${fixed(result.workflowsPerSecond)} workflows/s, ${fixed(result.workflowTasksPerSecond)} workflow tasks/s ` +
      `(${tasksPerWorkflow} task each, checked in ${counts.length} histories); start-to-result median ${fixed(result.startToResult.medianMs)} ms`,
  );
  return result;
}

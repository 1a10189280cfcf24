// The worker child of the engine benchmark: `node --expose-gc --import tsx bench/lib/engine-worker.ts`, started by
// bench/lib/worker-process.ts with the options to try in BENCH_WORKER_OPTIONS. In `cpo` mode it is the production
// worker (createCpoWorker: the real workflows, PDFs, SMTP, documents in CPO_DATA_DIR) with those options applied on
// top; in `trivial` mode it runs bench/workflows/trivial.ts only. It answers status requests over the IPC channel
// (cache size, work in flight, memory, optionally after a garbage collection) and stops when the channel closes.
import v8 from 'node:v8';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ConfigError, parseEnv } from '../../config/env';
import { createCpoWorker } from '../../worker/create-worker';
import {
  WORKER_MODE_VARIABLE,
  WORKER_OPTIONS_VARIABLE,
  type TFromWorker,
  type TToWorker,
  type TTunedWorkerOptions,
  type TWorkerMode,
} from './worker-protocol';

const send = (message: TFromWorker): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/lib/engine-worker.ts is started by the engine benchmark (it needs an IPC channel)');
  const mode = (process.env[WORKER_MODE_VARIABLE] ?? 'cpo') as TWorkerMode;
  const options = JSON.parse(process.env[WORKER_OPTIONS_VARIABLE] ?? '{}') as TTunedWorkerOptions;
  const env = parseEnv();

  let worker: Worker;
  let close: () => Promise<void>;
  if (mode === 'trivial') {
    const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
    worker = await Worker.create({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      workflowsPath: require.resolve('../workflows/trivial'),
      ...options,
    });
    close = () => connection.close();
  } else {
    ({ worker, close } = await createCpoWorker(env, options));
  }

  process.on('message', (message: unknown) => {
    const raw = message as TToWorker;
    if (raw?.type !== 'status') return;
    const collect = raw.gc && typeof global.gc === 'function';
    if (collect) global.gc!();
    const status = worker.getStatus();
    send({
      type: 'status',
      id: raw.id,
      numCachedWorkflows: status.numCachedWorkflows,
      numInFlightWorkflowActivations: status.numInFlightWorkflowActivations,
      numInFlightActivities: status.numInFlightActivities,
      memory: process.memoryUsage(),
      collected: collect,
    });
  });
  // The benchmark went away (finished, failed or killed): stop polling and exit.
  process.on('disconnect', () => worker.shutdown());

  send({ type: 'ready', mode, taskQueue: env.TEMPORAL_TASK_QUEUE, heapLimitBytes: v8.getHeapStatistics().heap_size_limit });
  try {
    await worker.run();
  } finally {
    await close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

// Starts the engine benchmark's worker child (bench/lib/engine-worker.ts) and talks to it over IPC.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  WORKER_MODE_VARIABLE,
  WORKER_OPTIONS_VARIABLE,
  type TFromWorker,
  type TToWorker,
  type TTunedWorkerOptions,
  type TWorkerMode,
  type TWorkerStatusReport,
} from './worker-protocol';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 180_000;
const STATUS_TIMEOUT_MS = 30_000;

export interface TWorkerProcess {
  pid: number;
  heapLimitBytes: number;
  /** Rejects if the worker exits before stop(): race the load against it instead of waiting for a stall. */
  crashed: Promise<never>;
  /** Cache size, work in flight and main-thread memory; with `gc`, after a full garbage collection. */
  status(gc?: boolean): Promise<TWorkerStatusReport>;
  stop(): Promise<void>;
}

/**
 * `node --expose-gc --import tsx bench/lib/engine-worker.ts`, so the child's pid is the worker's (its memory and CPU
 * are read from /proc), with an IPC channel for status requests. Resolves once the worker polls its task queue.
 */
export async function startWorkerProcess(options: {
  mode: TWorkerMode;
  tuned: TTunedWorkerOptions;
  env: NodeJS.ProcessEnv;
  label: string;
  heapMb?: number;
}): Promise<TWorkerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    [WORKER_MODE_VARIABLE]: options.mode,
    [WORKER_OPTIONS_VARIABLE]: JSON.stringify(options.tuned),
  };
  // The tuned options alone decide the cache ("default" is the configuration's default): an inherited
  // CPO_WORKER_MAX_CACHED_WORKFLOWS would blur it.
  delete env.CPO_WORKER_MAX_CACHED_WORKFLOWS;
  const heap = options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...heap, '--import', 'tsx', path.join('bench', 'lib', 'engine-worker.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  forwardLines(child, `[worker ${options.label}]`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const pending = new Map<number, (report: TWorkerStatusReport) => void>();
  let ready: ((message: Extract<TFromWorker, { type: 'ready' }>) => void) | undefined;
  child.on('message', (message: TFromWorker) => {
    if (message.type === 'ready') ready?.(message);
    if (message.type === 'status') {
      const { type: _type, id, ...report } = message;
      pending.get(id)?.(report);
      pending.delete(id);
    }
  });

  const readyMessage = await new Promise<Extract<TFromWorker, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The ${options.mode} worker did not start polling within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    ready = (message) => {
      clearTimeout(timer);
      resolve(message);
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The ${options.mode} worker exited with code ${code} before polling`));
    });
  });

  let stopping = false;
  const crashed = exited.then((code) => {
    throw new Error(stopping ? 'The worker was stopped' : `The worker exited unexpectedly with code ${code}`);
  });
  crashed.catch(() => undefined); // observed only where raced
  let nextId = 1;
  return {
    pid: child.pid!,
    heapLimitBytes: readyMessage.heapLimitBytes,
    crashed,
    status: (gc = false) =>
      new Promise<TWorkerStatusReport>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`The worker did not answer a status request within ${STATUS_TIMEOUT_MS / 1000} s`));
        }, STATUS_TIMEOUT_MS);
        pending.set(id, (report) => {
          clearTimeout(timer);
          resolve(report);
        });
        const request: TToWorker = { type: 'status', id, gc };
        child.send(request);
      }),
    stop: async () => {
      stopping = true;
      await stopChild(child, exited);
    },
  };
}

function forwardLines(child: ChildProcess, prefix: string): void {
  createInterface({ input: child.stdout! }).on('line', (line) => console.log(`${prefix} ${line}`));
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`${prefix} ${line}`));
}

/** SIGTERM (the SDK shuts the worker down gracefully), then SIGKILL after 20 s. */
export async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

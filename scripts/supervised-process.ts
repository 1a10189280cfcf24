// A Node program of the project (a worker, the web process) as a child process that can be SIGKILLed, stopped and
// started again: start() resolves once the program prints the line that says it is serving.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = path.resolve(__dirname, '..');

export interface TSupervisedProcess {
  /** How many times the process was started. */
  readonly starts: number;
  /** SIGKILL: no shutdown, in-flight tasks and activities are abandoned mid-way. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after 15 s. */
  stop(): Promise<void>;
}

export interface TProcessSpec {
  /** The TypeScript entry point, relative to the repository (run with tsx). */
  script: string;
  /** The start of the line the program prints once it serves. */
  readyPrefix: string;
  env: NodeJS.ProcessEnv;
  /** Each line the program prints, prefixed with its name and pid. */
  log?: (line: string) => void;
}

export function startSupervisedProcess(spec: TProcessSpec): TSupervisedProcess {
  const name = path.basename(path.dirname(spec.script));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let starts = 0;
  return {
    get starts() {
      return starts;
    },
    async start() {
      if (child) return;
      starts += 1;
      const process_ = spawn(process.execPath, ['--import', 'tsx', spec.script], {
        cwd: REPO_ROOT,
        env: spec.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = process_;
      exited = new Promise((resolve) => process_.once('exit', () => resolve()));
      const ready = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The ${name} did not start within 120 s`)), 120_000);
        for (const stream of [process_.stdout, process_.stderr]) {
          createInterface({ input: stream }).on('line', (line) => {
            spec.log?.(`[${name} ${process_.pid}] ${line}`);
            if (line.startsWith(spec.readyPrefix)) {
              clearTimeout(timer);
              resolve();
            }
          });
        }
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`The ${name} exited with code ${process_.exitCode} before serving`));
        });
      });
      await ready;
    },
    async kill() {
      child?.kill('SIGKILL');
      await exited;
      child = null;
    },
    async stop() {
      child?.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      child = null;
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { SmtpCatcher } from '../../scripts/smtp-catcher';
import { stopChild } from '../lib/worker-process';
import { REPO_ROOT } from './options';

// The system under test: the worker process, the server's log, the mail counter.

interface TWorkerProcess {
  pid: number;
  /** Rejects if the worker exits before stop(): race the load against it instead of waiting for a stall. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * `node --import tsx worker/main.ts`, the same as `npm run worker`, except that the tsx CLI would run the worker in a
 * grandchild process; this way the child's pid is the worker's, whose memory is read from /proc.
 */
export async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<TWorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The worker did not start polling within 120 s')), 120_000);
    forwardLines(child, (line) => {
      if (line.startsWith('Worker polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The worker exited with code ${code}`));
    });
  });
  await ready;
  let stopping = false;
  const crashed = exited.then((code) => {
    throw new Error(stopping ? 'The worker was stopped' : `The worker exited unexpectedly with code ${code}`);
  });
  crashed.catch(() => undefined); // observed only where raced
  return {
    pid: child.pid!,
    crashed,
    stop: () => {
      stopping = true;
      return stopChild(child, exited);
    },
  };
}

function forwardLines(child: ChildProcess, onStdoutLine: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    onStdoutLine(line);
    console.log(`[worker] ${line}`);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`[worker] ${line}`));
}

/** The HTTP server's log (pino JSON lines): warnings and errors are kept for the report. */
export function serverLogCollector(): { stream: Writable; problems: string[] } {
  const problems: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
          if ((entry.level ?? 0) >= 40) problems.push(entry.err?.message ?? entry.msg ?? line);
        } catch {
          problems.push(line);
        }
      }
      done();
    },
  });
  return { stream, problems };
}

/** Counts mail instead of keeping it: at 10,000 contracts the catcher would otherwise hold thousands of PDFs. */
export function startMailCounter(): { catcher: SmtpCatcher; counts: { all: number; signatureRequests: number } } {
  const counts = { all: 0, signatureRequests: 0 };
  const catcher: SmtpCatcher = new SmtpCatcher({
    onMessage: (mail) => {
      counts.all += 1;
      if ((mail.parsed.subject ?? '').includes('(request #1)')) counts.signatureRequests += 1;
      catcher.messages.splice(0);
    },
  });
  return { catcher, counts };
}

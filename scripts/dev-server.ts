import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../domain/search-attributes';

/**
 * Visibility calls per second per namespace. The dashboard counts every stage with one call each (about 20 a
 * page); the server's default of 10 would throttle it. Kept equal to deploy/temporal-dynamic-config.yaml.
 */
export const VISIBILITY_RPS = 2000;
/**
 * An activity a workflow task schedules on its own task queue comes back with that task's completion when the
 * worker has a free slot (eager dispatch), saving a round trip through the matching service: the sealed PDF starts
 * as soon as the countersignature is recorded. Off by default in the server. Kept equal to deploy/temporal-dynamic-config.yaml.
 */
export const EAGER_ACTIVITIES = true;

export interface TDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with the project's search attributes and waits until it answers. */
export async function startDevServer(options: {
  cliPath: string;
  port: number;
  uiPort?: number;
  dbFilename?: string;
}): Promise<TDevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--log-level',
    'error',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFilename ? ['--db-filename', options.dbFilename] : []),
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap((pair) => ['--search-attribute', pair]),
    '--dynamic-config-value',
    `frontend.namespaceRPS.visibility=${VISIBILITY_RPS}`,
    '--dynamic-config-value',
    `system.enableActivityEagerExecution=${EAGER_ACTIVITIES}`,
  ];
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.port}`;
  await waitUntilServing(address, exited);
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    stop: () => stopProcess(child, exited),
  };
}

async function waitUntilServing(address: string, exited: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + 60_000;
  let early: number | null | undefined;
  void exited.then((code) => (early = code));
  while (Date.now() < deadline) {
    if (early !== undefined) throw new Error(`The Temporal dev server exited with code ${early} before serving`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '1s' });
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      await connection.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`The Temporal dev server did not answer on ${address} within 60 s`);
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

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

type TDevServerOptions = { cliPath: string; port: number; uiPort?: number; dbFilename?: string };

/** Starts before giving up when a port the server picked for itself was taken before it could listen on it. */
const START_ATTEMPTS = 3;

/**
 * Starts `temporal server start-dev` with the project's search attributes and waits until it answers. The server
 * picks its own free ports (HTTP, metrics, its inner services) and binds them later; an outgoing connection may take
 * one in between, and it then exits with "address already in use". A new start picks new ports.
 */
export async function startDevServer(options: TDevServerOptions): Promise<TDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === START_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(options: TDevServerOptions): Promise<TDevServer> {
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
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let portTaken = false;
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    portTaken ||= chunk.toString().includes('address already in use');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${options.port}`;
  try {
    await waitUntilServing(address, exited);
  } catch (error) {
    throw portTaken ? new PortTakenError(`${(error as Error).message}: a port it listens on was taken (address already in use)`) : error;
  }
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

// The Temporal server as in production: PostgreSQL persistence and SQL visibility on PostgreSQL, configured by
// deploy/temporal-server.yaml with the dynamic config the compose stack uses, on free loopback ports. The schemas are
// created and updated with Temporal's SQL tool; the `default` namespace and the search attributes of
// domain/search-attributes.ts are registered through the gRPC API (workflow and operator services).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes';
import { freeSmallPort } from './free-port';
import type { TPostgresCluster } from './postgres-cluster';

const DEPLOY_DIR = path.resolve(__dirname, '..', 'deploy');
/** deploy/<this>.yaml: the server's `--env`. */
export const TEMPORAL_CONFIG_NAME = 'temporal-server';
export const DYNAMIC_CONFIG_FILE = path.join(DEPLOY_DIR, 'temporal-dynamic-config.yaml');
export const TEMPORAL_NAMESPACE = 'default';
/** How long a closed workflow's history is kept; the compose stack registers the same. */
export const NAMESPACE_RETENTION_HOURS = 168;
/** The databases and the embedded schemas the SQL tool applies to them (persistence, then visibility). */
export const TEMPORAL_SCHEMAS = [
  { database: 'temporal', schemaName: 'postgresql/v12/temporal' },
  { database: 'temporal_visibility', schemaName: 'postgresql/v12/visibility' },
] as const;
export const TEMPORAL_SQL_PLUGIN = 'postgres12';

export interface TTemporalOnPostgres {
  readonly address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function runTool(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(
            new Error(
              `${path.basename(file)} ${args.join(' ')} exited with code ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`,
            ),
          ),
    );
  });
}

/** Creates both databases and brings their schemas to the versions this server release needs. */
export async function setUpTemporalSchemas(sqlTool: string, pg: TPostgresCluster): Promise<void> {
  // The password through the environment (SQL_PASSWORD), not the command line other users can read.
  const env = {
    ...process.env,
    SQL_PLUGIN: TEMPORAL_SQL_PLUGIN,
    SQL_HOST: pg.host,
    SQL_PORT: String(pg.port),
    SQL_USER: pg.user,
    SQL_PASSWORD: pg.password,
  };
  for (const { database, schemaName } of TEMPORAL_SCHEMAS) {
    await runTool(sqlTool, ['--db', database, 'create-database'], env);
    await runTool(sqlTool, ['--db', database, 'setup-schema', '-v', '0.0'], env);
    await runTool(sqlTool, ['--db', database, 'update-schema', '--schema-name', schemaName], env);
  }
}

async function serverEnvironment(pg: TPostgresCluster): Promise<Record<string, string>> {
  const names = [
    'FRONTEND',
    'FRONTEND_MEMBERSHIP',
    'FRONTEND_HTTP',
    'HISTORY',
    'HISTORY_MEMBERSHIP',
    'MATCHING',
    'MATCHING_MEMBERSHIP',
    'WORKER',
    'WORKER_MEMBERSHIP',
  ];
  const ports: Record<string, string> = {};
  for (const name of names) ports[`TEMPORAL_${name}_PORT`] = String(await freeSmallPort());
  return {
    ...ports,
    TEMPORAL_DB_ADDRESS: `${pg.host}:${pg.port}`,
    POSTGRES_USER: pg.user,
    POSTGRES_PWD: pg.password,
    TEMPORAL_BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    TEMPORAL_DYNAMIC_CONFIG_FILE: DYNAMIC_CONFIG_FILE,
  };
}

/** Waits until the frontend answers, then registers the namespace and the search attributes that are missing. */
async function prepareNamespace(address: string, exited: () => number | null | undefined): Promise<void> {
  const deadline = Date.now() + 120_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const code = exited();
    if (code !== undefined) throw new Error(`The Temporal server exited with code ${code} before serving`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      try {
        await registerNamespace(connection);
        await registerSearchAttributes(connection);
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`The Temporal server on ${address} was not ready within 120 s: ${(lastError as Error)?.message}`);
}

async function registerNamespace(connection: Connection): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace: TEMPORAL_NAMESPACE });
  } catch {
    await connection.workflowService
      .registerNamespace({ namespace: TEMPORAL_NAMESPACE, workflowExecutionRetentionPeriod: msToTs(`${NAMESPACE_RETENTION_HOURS}h`) })
      .catch((error: Error) => {
        if (!/already exists/i.test(error.message)) throw error;
      });
  }
}

async function registerSearchAttributes(connection: Connection): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace: TEMPORAL_NAMESPACE });
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace: TEMPORAL_NAMESPACE,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!])),
  });
}

/** Starts the server on the cluster (schemas already set up) and returns once the namespace and attributes are in. */
export async function startTemporalOnPostgres(
  serverPath: string,
  pg: TPostgresCluster,
  log: (line: string) => void = () => undefined,
): Promise<TTemporalOnPostgres> {
  const env = await serverEnvironment(pg);
  const address = `127.0.0.1:${env.TEMPORAL_FRONTEND_PORT}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const args = [
      '--root',
      path.dirname(DEPLOY_DIR),
      '--config',
      path.basename(DEPLOY_DIR),
      '--env',
      TEMPORAL_CONFIG_NAME,
      '--allow-no-auth',
      'start',
    ];
    const process_ = spawn(serverPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = process_;
    let exitCode: number | null | undefined;
    exited = new Promise((resolve) => process_.once('exit', (code) => ((exitCode = code), resolve())));
    for (const stream of [process_.stdout, process_.stderr])
      createInterface({ input: stream }).on('line', (line) => log(`[temporal] ${line}`));
    await prepareNamespace(address, () => exitCode);
  };
  await start();
  return {
    address,
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      child = null;
    },
    async start() {
      if (!child) await start();
    },
  };
}

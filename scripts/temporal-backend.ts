// The Temporal part of the reliability stack and the dashboard benchmark, pluggable: the CLI's dev server keeping its state in a SQLite file
// (`dev`, the default), or the production configuration (`production`): the Temporal server on a PostgreSQL cluster
// of its own with SQL visibility, configured from deploy/. Both can be stopped and started again on their data;
// production's PostgreSQL too.
import path from 'node:path';
import { startDevServer, type TDevServer } from './dev-server';
import { freeSmallPort } from './free-port';
import { startPostgresCluster, type TPostgresCluster } from './postgres-cluster';
import { findStackTools, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from './stack-tools';
import { findTemporalCli } from './temporal-cli';
import { setUpTemporalSchemas, startTemporalOnPostgres } from './temporal-stack';

export const TEMPORAL_BACKENDS = ['dev', 'production'] as const;
export type TTemporalBackend = (typeof TEMPORAL_BACKENDS)[number];

export interface TRestartableTemporal {
  readonly address: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface TTemporalParts {
  temporal: TRestartableTemporal;
  /** The production backend's database, which a scenario may restart; null on the dev server. */
  postgres: TPostgresCluster | null;
  /** Stops the server, then its database. */
  close(): Promise<void>;
}

async function startRestartableDevServer(dataDir: string): Promise<TRestartableTemporal> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('The Temporal CLI is missing: run `npm run setup`');
  const port = await freeSmallPort();
  const options = { cliPath: cli.path, port, dbFilename: path.join(dataDir, 'temporal.sqlite') };
  let server: TDevServer | null = await startDevServer(options);
  return {
    address: server.address,
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startDevServer(options);
    },
  };
}

export async function startTemporalBackend(
  backend: TTemporalBackend,
  dataDir: string,
  log?: (line: string) => void,
): Promise<TTemporalParts> {
  if (backend === 'dev') {
    const temporal = await startRestartableDevServer(dataDir);
    return { temporal, postgres: null, close: () => temporal.stop() };
  }
  const tools = findStackTools([TEMPORAL_SERVER, TEMPORAL_SQL_TOOL]);
  const postgres = await startPostgresCluster(path.join(dataDir, 'postgres'), log);
  try {
    await setUpTemporalSchemas(tools.get(TEMPORAL_SQL_TOOL)!, postgres);
    const temporal = await startTemporalOnPostgres(tools.get(TEMPORAL_SERVER)!, postgres, log);
    return {
      temporal,
      postgres,
      async close() {
        await temporal.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

// Tries to reproduce the SDK core error "Extra buffered run should not have produced an activation" seen once under
// heavy eviction (docs/benchmarks.md): a tiny sticky cache, many workflows, and signals and queries to each from many
// callers at once, so workflow tasks and queries arrive for runs that are being evicted. Counts what the SDK core
// logs. On a real Temporal dev server (in memory), with the worker in this process.
//
//   npm run bench:eviction -- [--workflows 40] [--signals 60] [--in-flight 64] [--cache 2] [--wft 2]
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, type LogEntry, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer } from '../scripts/dev-server';
import { freeSmallPort } from '../scripts/free-port';
import { findTemporalCli } from '../scripts/temporal-cli';
import { runBenchmark, type CleanupStack } from './lib/cleanup';
import { fixed, nowMs } from './lib/stats';
import { countQuery, pingSignal } from './workflows/signalled';

interface TReproOptions {
  workflows: number;
  signals: number;
  inFlight: number;
  cache: number;
  wft: number;
}

const DEFAULTS: TReproOptions = { workflows: 40, signals: 60, inFlight: 64, cache: 2, wft: 2 };
const FLAGS: Record<string, keyof TReproOptions> = {
  '--workflows': 'workflows',
  '--signals': 'signals',
  '--in-flight': 'inFlight',
  '--cache': 'cache',
  '--wft': 'wft',
};

function parseOptions(argv: string[]): TReproOptions {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const key = FLAGS[argv[i]!];
    const value = Number(argv[i + 1]);
    if (!key) throw new Error(`unknown option ${argv[i]}; the options are ${Object.keys(FLAGS).join(', ')}`);
    if (!Number.isInteger(value) || value < (key === 'cache' ? 0 : 1)) throw new Error(`${argv[i]} must be a whole number`);
    options[key] = value;
  }
  return options;
}

/** What the SDK core says that matters here, by message. */
const WATCHED = ['Extra buffered run', 'leftover buffered tasks', 'Failing workflow task', 'TMPRL1104'];

async function main(options: TReproOptions, cleanup: CleanupStack): Promise<void> {
  const seen = new Map<string, number>(WATCHED.map((text) => [text, 0]));
  const record = (entry: LogEntry): void => {
    for (const text of WATCHED) if (entry.message.includes(text)) seen.set(text, seen.get(text)! + 1);
  };
  Runtime.install({ logger: new DefaultLogger('WARN', record) });

  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI: run `npm run setup`');
  const server = await startDevServer({ cliPath: cli.path, port: await freeSmallPort() });
  cleanup.add('the Temporal dev server', () => server.stop());
  const connection = await Connection.connect({ address: server.address });
  cleanup.add('the client connection', () => connection.close());
  const client = new Client({ connection });

  const taskQueue = `eviction-repro-${randomUUID().slice(0, 8)}`;
  const workerConnection = await NativeConnection.connect({ address: server.address });
  cleanup.add('the worker connection', () => workerConnection.close());
  const worker = await Worker.create({
    connection: workerConnection,
    taskQueue,
    workflowsPath: require.resolve('./workflows/signalled'),
    maxCachedWorkflows: options.cache,
    maxConcurrentWorkflowTaskExecutions: options.wft,
  });
  const started = nowMs();
  const results = await worker.runUntil(async () => {
    const handles = await Promise.all(
      Array.from({ length: options.workflows }, (_, i) =>
        client.workflow.start('signalledWorkflow', { taskQueue, workflowId: `${taskQueue}-${i}`, args: [options.signals] }),
      ),
    );
    // Every call, a signal then a query to a random workflow, with options.inFlight calls at once.
    const calls = handles.flatMap((handle) => Array.from({ length: options.signals }, () => handle));
    calls.sort(() => Math.random() - 0.5);
    let next = 0;
    let queryFailures = 0;
    const caller = async (): Promise<void> => {
      for (let handle = calls[next++]; handle; handle = calls[next++]) {
        await handle.signal(pingSignal);
        await handle.query(countQuery).catch(() => void queryFailures++);
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, caller));
    const counts = await Promise.all(handles.map((handle) => handle.result()));
    return { queryFailures, completed: counts.filter((count) => count === options.signals).length };
  });
  const seconds = (nowMs() - started) / 1000;
  console.log(
    `${options.workflows} workflows x ${options.signals} signals and queries, ${options.inFlight} at once, cache ${options.cache}, ` +
      `${options.wft} workflow tasks at once: ${results.completed}/${options.workflows} completed in ${fixed(seconds, 1)} s, ` +
      `${results.queryFailures} queries failed`,
  );
  for (const [text, count] of seen) console.log(`  SDK core logged "${text}…": ${count} times`);
}

runBenchmark(parseOptions, main);

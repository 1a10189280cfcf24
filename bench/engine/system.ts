import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectCpo, type TCpoContext } from '../../client/context';
import { parseEnv } from '../../config/env';
import type { TPolicy } from '../../domain/policy';
import { startDevServer } from '../../scripts/dev-server';
import { freeSmallPort } from '../../scripts/free-port';
import { findTemporalCli } from '../../scripts/temporal-cli';
import type { CleanupStack } from '../lib/cleanup';
import { MailBox } from '../lib/mailbox';
import { findPidByCommandLine } from '../lib/proc';
import { fixed, nowMs } from '../lib/stats';
import { startWorkerProcess, type TWorkerProcess } from '../lib/worker-process';
import { MAIL_FROM, POLICY_FILE, type TWorkerConfig } from './options';

// The system under test: the dev server and the worker process.

export interface TBench {
  dataDir: string;
  client: TCpoContext['client'];
  policy: TPolicy;
  mail: MailBox;
  /** Environment of every worker child but the task queue. */
  workerEnv: NodeJS.ProcessEnv;
  serverPid: number | null;
  cleanup: CleanupStack;
  /** Distinguishes the ids of each configuration's workflows on the shared server. */
  runId: string;
}

export async function startSystem(cleanup: CleanupStack, inMemory: boolean): Promise<TBench> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-engine-bench-'));
  cleanup.add('the temporary data folder', () => rm(dataDir, { recursive: true, force: true }));
  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or run `npm run setup`');
  const dbFilename = path.join(dataDir, 'temporal.sqlite');
  const port = await freeSmallPort();
  const devServer = await startDevServer({ cliPath: cli.path, port, ...(inMemory ? {} : { dbFilename }) });
  cleanup.add('the Temporal dev server', () => devServer.stop());

  const mail = new MailBox();
  const smtpPort = await mail.catcher.listen(0);
  cleanup.add('the SMTP catcher', () => mail.catcher.close());

  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAIL_FROM,
    CPO_DATA_DIR: dataDir,
    // Documents in the data folder, whatever the calling shell says (ignored where the variable does not exist).
    CPO_DOCUMENT_STORE: 'folder',
    CPO_MODE: 'embedded',
    CPO_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    CPO_POLICY_FILE: POLICY_FILE,
  };
  const cpo = connectCpo(parseEnv({ ...workerEnv, TEMPORAL_TASK_QUEUE: 'bench-engine-client' }));
  cleanup.add('the Temporal client', () => cpo.close());
  const serverPid = findPidByCommandLine(inMemory ? `--port\0${port}\0` : dbFilename);
  console.log(
    `Temporal ${devServer.address} (${inMemory ? 'state in memory' : `SQLite in ${dataDir}`}, pid ${serverPid ?? 'unknown'}), SMTP 127.0.0.1:${smtpPort}`,
  );
  return {
    dataDir,
    client: cpo.context.client,
    policy: cpo.context.policy,
    mail,
    workerEnv,
    serverPid,
    cleanup,
    runId: randomUUID().slice(0, 6),
  };
}

export async function startWorker(
  bench: TBench,
  mode: 'cpo' | 'trivial',
  config: TWorkerConfig,
  taskQueue: string,
): Promise<TWorkerProcess> {
  const started = nowMs();
  const worker = await startWorkerProcess({
    mode,
    tuned: config.tuned,
    env: { ...bench.workerEnv, TEMPORAL_TASK_QUEUE: taskQueue },
    label: config.label,
    ...(config.heapMb ? { heapMb: config.heapMb } : {}),
  });
  bench.cleanup.add(`worker ${worker.pid}`, () => worker.stop());
  console.log(`  ${mode} worker pid ${worker.pid} polling ${taskQueue} after ${fixed((nowMs() - started) / 1000)} s`);
  return worker;
}

export const stopWorker = (bench: TBench, worker: TWorkerProcess) => bench.cleanup.runNamed(`worker ${worker.pid}`);

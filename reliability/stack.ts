// The whole system on loopback, with handles to break its parts: a Temporal server (the dev server keeping its state
// in a SQLite file, or the production configuration on PostgreSQL, see scripts/temporal-backend.ts; stop and start it again),
// the workers as child processes (SIGKILL one and start another), a real SMTP server (take it down, bring it back on
// the same port), the HTTP server and email-reply listener in this process, and optionally an S3-compatible document
// store in this process (take it down, bring it back with its objects).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { createStorage } from '../activities/storage/create-storage';
import { clockFor, type TCpoContext } from '../client/context';
import { parseEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import { loadSigningSecret } from '../config/signing-secret';
import { startSupervisedProcess, type TSupervisedProcess } from '../scripts/supervised-process';
import { SmtpCatcher, type TCaughtMail } from '../scripts/smtp-catcher';
import { hashStaffPassword } from '../security/staff-password';
import { createReplyListener } from '../inbound/create-reply-listener';
import { createServer } from '../server/create-server';
import { createMailer } from '../worker/create-mailer';
import { startS3Server, type TS3Server } from '../scripts/s3-server';
import { startTemporalBackend, type TRestartableTemporal, type TTemporalBackend } from '../scripts/temporal-backend';
import type { TPostgresCluster } from '../scripts/postgres-cluster';

export type { TRestartableTemporal } from '../scripts/temporal-backend';

const MAIL_FROM = 'Community Partnerships Office <cpo@mpls.k12.mn.us>';

/** The staff account the scenarios use for the JSON API (HTTP Basic). */
export const RELIABILITY_STAFF = {
  username: 'ops',
  name: 'Ops Watcher',
  email: 'ops@mpls.k12.mn.us',
  password: randomBytes(12).toString('base64url'),
};

export interface TReliabilityStack {
  readonly context: TCpoContext;
  /** The HTTP server's address: signing links in emails point here. */
  readonly baseUrl: string;
  /** The email-reply listener's port: signature requests' Reply-To addresses are delivered here. */
  readonly repliesPort: number;
  readonly mail: TRestartableMail;
  readonly temporal: TRestartableTemporal;
  /** The production backend's PostgreSQL (restartable); null on the dev server. */
  readonly postgres: TPostgresCluster | null;
  /** The first worker process: the one the crash scenarios kill. */
  readonly worker: TWorkerProcess;
  /** Every worker process, all polling the same task queue. */
  readonly workers: readonly TWorkerProcess[];
  /** The document store, when started with `s3: true` (else documents are in the temporary folder). */
  readonly s3: TS3Server | null;
  readonly apiAuthorization: string;
  close(): Promise<void>;
}

export interface TRestartableMail {
  /** Every message received, over every start of the server. */
  readonly messages: readonly TCaughtMail[];
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export type TWorkerProcess = TSupervisedProcess;

export interface TStackOptions {
  /** The Temporal server: the dev server on SQLite (default) or the production configuration on PostgreSQL. */
  temporal?: TTemporalBackend;
  /** Worker processes on the one task queue (default 1). */
  workers?: number;
  /** The worker's sticky cache (CPO_WORKER_MAX_CACHED_WORKFLOWS); unset keeps the configuration's default. */
  maxCachedWorkflows?: number;
  /** Documents and the sent-mail log in an S3-compatible server (CPO_DOCUMENT_STORE=s3) that can be stopped. */
  s3?: boolean;
  /** Prints the worker's and dev server's lines when set. */
  log?: (line: string) => void;
}

async function startRestartableMail(): Promise<TRestartableMail> {
  const messages: TCaughtMail[] = [];
  let catcher: SmtpCatcher | null = new SmtpCatcher({ onMessage: (mail) => messages.push(mail) });
  const port = await catcher.listen(0);
  return {
    messages,
    port,
    async stop() {
      await catcher?.close();
      catcher = null;
    },
    async start() {
      if (catcher) return;
      catcher = new SmtpCatcher({ onMessage: (mail) => messages.push(mail) });
      await catcher.listen(port);
    },
  };
}

const startWorkerSupervisor = (env: NodeJS.ProcessEnv, log?: (line: string) => void): TWorkerProcess =>
  startSupervisedProcess({
    script: path.join('worker', 'main.ts'),
    readyPrefix: 'Worker polling task queue',
    env,
    ...(log ? { log } : {}),
  });

/** The HTTP server's log reduced to its errors (an answer 500 says why), one line each. */
function serverErrorsTo(print: (line: string) => void): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; err?: { type?: string; message?: string; stack?: string } };
        if (entry.level >= 50)
          print(entry.err ? `${entry.err.type}: ${entry.err.message} ${entry.err.stack?.split('\n').slice(1, 4).join(' ') ?? ''}` : line);
      }
      done();
    },
  });
}

/** Starts everything in a temporary folder, deleted by close(). */
export async function startReliabilityStack(options: TStackOptions = {}): Promise<TReliabilityStack> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-reliability-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const backend = await startTemporalBackend(options.temporal ?? 'dev', dataDir, options.log);
    cleanups.push(() => backend.close());
    const { temporal, postgres } = backend;
    const mail = await startRestartableMail();
    cleanups.push(() => mail.stop());

    const s3 = options.s3 ? await startS3Server() : null;
    if (s3) cleanups.push(() => s3.close());

    const taskQueue = `reliability-${randomUUID()}`;
    const baseEnv = {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(mail.port),
      CPO_DATA_DIR: dataDir,
      MAIL_FROM,
      CPO_HTTP_PORT: '0',
      ...s3?.env,
      ...(options.maxCachedWorkflows !== undefined ? { CPO_WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows) } : {}),
    };
    const env = parseEnv(baseEnv);
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const policy = loadPolicy(env.CPO_POLICY_FILE);
    const context: TCpoContext = { client: new Client({ connection }), taskQueue, policy, now: clockFor(env.CPO_TODAY, policy.timeZone) };

    // The HTTP server first: its address goes into the worker's emails. Its signing secret file is then shared.
    const signingSecret = loadSigningSecret(env);
    const { documents } = createStorage(env);
    const http: FastifyInstance = await createServer({
      context,
      documents,
      signingSecret,
      // The automated signers all come from 127.0.0.1; the per-address limit is for the internet.
      signingRateLimit: 1_000_000,
      logStream: serverErrorsTo((line) => console.error(`[http] ${line}`)),
      staff: {
        users: [{ ...RELIABILITY_STAFF, passwordHash: hashStaffPassword(RELIABILITY_STAFF.password), access: { role: 'cpo' } }],
        sessionSecret: randomBytes(32).toString('base64url'),
        secureCookies: false,
      },
    });
    const baseUrl = await http.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => http.close());
    const replies = createReplyListener({
      context,
      documents,
      signingSecret,
      mailer: createMailer(env),
      mailFrom: MAIL_FROM,
      replyDomain: env.CPO_REPLY_DOMAIN,
      ...(options.log ? { log: options.log } : {}),
    });
    const repliesPort = await replies.listen(0);
    cleanups.push(() => replies.close());

    const workers = Array.from({ length: options.workers ?? 1 }, () =>
      startWorkerSupervisor({ PATH: process.env.PATH, ...baseEnv, CPO_PUBLIC_URL: baseUrl }, options.log),
    );
    for (const worker of workers) {
      await worker.start();
      cleanups.push(() => worker.stop());
    }
    return {
      context,
      baseUrl,
      repliesPort,
      mail,
      temporal,
      postgres,
      worker: workers[0]!,
      workers,
      s3,
      apiAuthorization: `Basic ${Buffer.from(`${RELIABILITY_STAFF.username}:${RELIABILITY_STAFF.password}`).toString('base64')}`,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createFolderDocumentStore } from '../activities/storage/document-store';
import { createFolderSentMailLog } from '../activities/storage/sent-mail-log';
import type { TEnv } from '../config/env';
import { loadSigningSecret } from '../config/signing-secret';
import { createMailer } from './create-mailer';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The production wiring: SMTP through nodemailer, documents and the sent-mail log in the data folder. */
export function createProductionActivities(env: TEnv) {
  return createActivities({
    mailer: createMailer(env),
    documents: createFolderDocumentStore(path.join(env.CPO_DATA_DIR, 'documents')),
    sentMail: createFolderSentMailLog(path.join(env.CPO_DATA_DIR, 'sent-mail')),
    mailFrom: env.MAIL_FROM,
    signing: { secret: loadSigningSecret(env), publicUrl: env.CPO_PUBLIC_URL, replyDomain: env.CPO_REPLY_DOMAIN },
  });
}

export async function createCpoWorker(
  env: TEnv,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createProductionActivities(env),
    ...(env.CPO_WORKER_MAX_CACHED_WORKFLOWS !== undefined ? { maxCachedWorkflows: env.CPO_WORKER_MAX_CACHED_WORKFLOWS } : {}),
    ...overrides,
  });
  return { worker, connection };
}

import path from 'node:path';
import type { TEnv } from '../../config/env';
import { createS3Client } from './create-s3-client';
import { createFolderDocumentStore, type DocumentStore } from './document-store';
import { createS3DocumentStore } from './s3-document-store';
import { createS3SentMailLog } from './s3-sent-mail-log';
import { createFolderSentMailLog, type SentMailLog } from './sent-mail-log';

export interface TStorage {
  documents: DocumentStore;
  sentMail: SentMailLog;
}

/** Documents and the sent-mail log, in CPO_DATA_DIR or in the S3 bucket, as CPO_DOCUMENT_STORE says. */
export function createStorage(env: TEnv): TStorage {
  if (env.CPO_DOCUMENT_STORE === 'folder') {
    return {
      documents: createFolderDocumentStore(path.join(env.CPO_DATA_DIR, 'documents')),
      sentMail: createFolderSentMailLog(path.join(env.CPO_DATA_DIR, 'sent-mail')),
    };
  }
  // parseEnv refuses s3 without a bucket.
  const location = { client: createS3Client(env), bucket: env.CPO_S3_BUCKET!, prefix: env.CPO_S3_PREFIX };
  return { documents: createS3DocumentStore(location), sentMail: createS3SentMailLog(location) };
}

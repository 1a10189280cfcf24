import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from './write-file-atomically';

export interface TSentMail {
  idempotencyKey: string;
  messageId: string;
  sentAt: string;
  to: string[];
}

/** Remembers which emails went out, so an activity retry after a successful send does not mail twice. */
export interface SentMailLog {
  find(idempotencyKey: string): Promise<TSentMail | null>;
  record(entry: TSentMail): Promise<void>;
}

export function createFolderSentMailLog(folder: string): SentMailLog {
  const fileOf = (key: string): string => path.join(folder, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async find(idempotencyKey) {
      try {
        return JSON.parse(await readFile(fileOf(idempotencyKey), 'utf8')) as TSentMail;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async record(entry) {
      await mkdir(folder, { recursive: true });
      // Whole or not at all: a torn record would fail every retry of the send with a JSON error.
      await writeFileAtomically(fileOf(entry.idempotencyKey), JSON.stringify(entry));
    },
  };
}

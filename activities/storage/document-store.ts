import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { TDocumentRef } from '../../domain/schemas/common';

/** Documents live outside workflow history; workflows keep only their id and SHA-256. */
export interface DocumentStore {
  put(bytes: Uint8Array, meta: { kind: TDocumentRef['kind']; filename: string }): Promise<TDocumentRef>;
  /** The bytes of a document, refused when they no longer match the hash on record. */
  get(ref: Pick<TDocumentRef, 'id' | 'sha256'>): Promise<Uint8Array>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The embedded default: one file per document in a folder, named by content so a retried write is harmless. */
export function createFolderDocumentStore(folder: string): DocumentStore {
  const fileOf = (id: string): string => path.join(folder, `${id}.pdf`);
  return {
    async put(bytes, { kind, filename }) {
      const sha256 = sha256Hex(bytes);
      const id = `${kind}-${sha256.slice(0, 24)}`;
      await mkdir(folder, { recursive: true });
      const temporary = `${fileOf(id)}.${process.pid}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, fileOf(id));
      return { id, kind, filename, sha256, size: bytes.byteLength };
    },
    async get({ id, sha256 }) {
      if (!/^[a-z_]+-[a-f0-9]{24}$/.test(id)) throw ApplicationFailure.nonRetryable(`Not a document id: ${id}`);
      const bytes = new Uint8Array(await readFile(fileOf(id)));
      if (sha256Hex(bytes) !== sha256) {
        throw ApplicationFailure.nonRetryable(`Document ${id} does not match its SHA-256 on record`, 'DocumentTampered');
      }
      return bytes;
    },
  };
}

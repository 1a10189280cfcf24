import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { TDocumentRef } from '../../domain/schemas/common';
import { writeFileAtomically } from './write-file-atomically';

/** Documents live outside workflow history; workflows keep only their id and SHA-256. */
export interface DocumentStore {
  put(bytes: Uint8Array, meta: { kind: TDocumentRef['kind']; filename: string }): Promise<TDocumentRef>;
  /** The bytes of a document, refused when they no longer match the hash on record. */
  get(ref: Pick<TDocumentRef, 'id' | 'sha256'>): Promise<Uint8Array>;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A document's id: named by content (`<kind>-<24 hex of the SHA-256>`), so a retried write is harmless in every store. */
export const documentIdOf = (kind: string, sha256: string): string => `${kind}-${sha256.slice(0, 24)}`;

export function describeDocument(bytes: Uint8Array, { kind, filename }: { kind: TDocumentRef['kind']; filename: string }): TDocumentRef {
  const sha256 = sha256Hex(bytes);
  return { id: documentIdOf(kind, sha256), kind, filename, sha256, size: bytes.byteLength };
}

/** Reads a document through `read` only for a document id (never another path or key), checking its hash. */
export async function readCheckedDocument(
  { id, sha256 }: Pick<TDocumentRef, 'id' | 'sha256'>,
  read: (id: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  if (!/^[a-z_]+-[a-f0-9]{24}$/.test(id)) throw ApplicationFailure.nonRetryable(`Not a document id: ${id}`);
  const bytes = await read(id);
  if (sha256Hex(bytes) !== sha256) {
    throw ApplicationFailure.nonRetryable(`Document ${id} does not match its SHA-256 on record`, 'DocumentTampered');
  }
  return bytes;
}

/** The embedded default: one file per document in a folder. */
export function createFolderDocumentStore(folder: string): DocumentStore {
  const fileOf = (id: string): string => path.join(folder, `${id}.pdf`);
  return {
    async put(bytes, meta) {
      const ref = describeDocument(bytes, meta);
      await mkdir(folder, { recursive: true });
      await writeFileAtomically(fileOf(ref.id), bytes);
      return ref;
    },
    get: (ref) => readCheckedDocument(ref, async (id) => new Uint8Array(await readFile(fileOf(id)))),
  };
}

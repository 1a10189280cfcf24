import { ApplicationFailure } from '@temporalio/common';
import type { DocumentStore } from '../activities/storage/document-store';
import type { TDocumentRef } from '../domain/schemas/common';
import { CpoUnavailableError } from './errors';

/** The kind of failure, without the store's addresses or keys. */
const describeCause = (error: unknown): string => (error instanceof Error ? error.name : 'no answer');

/**
 * A document for a person to download. A store that does not answer is an outage, "try again" (503), never a
 * server error; a document that no longer matches its hash on record is not an outage and is thrown as it is.
 */
export async function readDocument(documents: DocumentStore, ref: Pick<TDocumentRef, 'id' | 'sha256'>): Promise<Uint8Array> {
  try {
    return await documents.get(ref);
  } catch (error) {
    if (error instanceof ApplicationFailure && error.type === 'DocumentTampered') throw error;
    throw new CpoUnavailableError(`The document store did not answer; try again in a minute (${describeCause(error)}).`);
  }
}

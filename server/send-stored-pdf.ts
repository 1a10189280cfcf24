import type { FastifyReply } from 'fastify';
import type { DocumentStore } from '../activities/storage/document-store';
import { readDocument } from '../client/read-document';
import type { TDocumentRef } from '../domain/schemas/common';

/** Sends a stored PDF to open in the browser under its own file name; a store that does not answer is "try again" (503). */
export async function sendStoredPdf(
  reply: FastifyReply,
  documents: DocumentStore,
  document: Pick<TDocumentRef, 'id' | 'sha256' | 'filename'>,
): Promise<FastifyReply> {
  const bytes = await readDocument(documents, document);
  return reply.type('application/pdf').header('Content-Disposition', `inline; filename="${document.filename}"`).send(Buffer.from(bytes));
}

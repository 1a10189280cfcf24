import type { TDocumentRef } from '../domain/schemas/common';
import type { TSignatureRecord } from '../domain/schemas/contract';
import { appendSignaturePage } from './pdf/append-signature-page';
import type { DocumentStore } from './storage/document-store';

export interface TExecutedContractInput {
  contractDocument: TDocumentRef;
  contractId: string;
  signatures: TSignatureRecord[];
  generatedAt: string;
}

/** The final signed contract: exactly the document both parties signed, plus its signature page. */
export const generateExecutedContractPdf =
  ({ documents }: { documents: DocumentStore }) =>
  async (input: TExecutedContractInput): Promise<TDocumentRef> => {
    const signed = await documents.get(input.contractDocument);
    const executed = await appendSignaturePage(signed, {
      contractId: input.contractId,
      contractSha256: input.contractDocument.sha256,
      signatures: input.signatures,
      generatedAt: input.generatedAt,
    });
    return documents.put(executed, { kind: 'executed_contract', filename: `contract-${input.contractId}-executed.pdf` });
  };

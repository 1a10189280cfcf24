import type { TDocumentRef } from '../domain/schemas/common';
import { renderContractPdf, type TContractDocumentInput } from './pdf/render-contract-pdf';
import type { DocumentStore } from './storage/document-store';

export const generateContractPdf =
  ({ documents, timeZone }: { documents: DocumentStore; timeZone: string }) =>
  async (input: TContractDocumentInput): Promise<TDocumentRef> =>
    documents.put(await renderContractPdf(input, timeZone), {
      kind: 'contract',
      filename: `contract-${input.request.contractId}${input.amendment ? `-amendment-${input.amendment.number}` : ''}.pdf`,
    });

import type { TDocumentRef } from '../domain/schemas/common';
import { renderAttestationPdf, type TAttestationDocumentInput } from './pdf/render-attestation-pdf';
import type { DocumentStore } from './storage/document-store';

export const generateAttestationPdf =
  ({ documents, timeZone }: { documents: DocumentStore; timeZone: string }) =>
  async (input: TAttestationDocumentInput): Promise<TDocumentRef> =>
    documents.put(await renderAttestationPdf(input, timeZone), {
      kind: 'attestation',
      filename: `attestation-${input.partnerId}${input.schoolYear ? `-${input.schoolYear}` : ''}.pdf`,
    });

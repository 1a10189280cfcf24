import type { TDocumentRef } from '../domain/schemas/common';
import type { TSignatureRecord, TSigningEvent } from '../domain/schemas/contract';
import { sealExecutedPdf } from './pdf/seal-executed-pdf';
import type { TDistrictSeal } from './pdf/sign-pdf';
import type { DocumentStore } from './storage/document-store';

export interface TExecutedContractInput {
  contractDocument: TDocumentRef;
  contractId: string;
  /** Set when the signed document is an amendment. */
  amendmentNumber?: number;
  signatures: TSignatureRecord[];
  /** Every signing event, for the certificate of completion. */
  events: TSigningEvent[];
  generatedAt: string;
}

/**
 * The final signed contract: exactly the document both parties signed, plus its signature page and its certificate
 * of completion, digitally signed by the district last so the signature covers all of it.
 */
export const generateExecutedContractPdf =
  ({ documents, timeZone, districtSeal }: { documents: DocumentStore; timeZone: string; districtSeal: TDistrictSeal }) =>
  async (input: TExecutedContractInput): Promise<TDocumentRef> => {
    const signed = await documents.get(input.contractDocument);
    const document = input.amendmentNumber
      ? `amendment ${input.amendmentNumber} to contract ${input.contractId}`
      : `contract ${input.contractId}`;
    const executed = await sealExecutedPdf(
      signed,
      {
        signatures: {
          contractId: input.contractId,
          contractSha256: input.contractDocument.sha256,
          signatures: input.signatures,
          generatedAt: input.generatedAt,
        },
        // A workflow started before events were recorded passes none; its certificate says so.
        certificate: {
          contractId: input.contractId,
          contractSha256: input.contractDocument.sha256,
          events: input.events ?? [],
          generatedAt: input.generatedAt,
        },
      },
      timeZone,
      {
        credential: districtSeal.credential,
        reason: `${districtSeal.district} certifies the executed ${document}`,
        location: districtSeal.district,
        // The workflow's time: a retried activity makes the same bytes.
        signingTime: new Date(input.generatedAt),
      },
    );
    const filename = `contract-${input.contractId}${input.amendmentNumber ? `-amendment-${input.amendmentNumber}` : ''}-executed.pdf`;
    return { ...(await documents.put(executed, { kind: 'executed_contract', filename })), signedBy: districtSeal.credential.subject };
  };

import type { TDocumentRef } from '../domain/schemas/common';
import type { TSignatureRecord, TSigningEvent } from '../domain/schemas/contract';
import { attestationKeyword } from './pdf/append-completion-certificate';
import { sealExecutedPdf } from './pdf/seal-executed-pdf';
import type { TDistrictSeal } from './pdf/sign-pdf';
import type { DocumentStore } from './storage/document-store';

export interface TSignedAttestationInput {
  /** The attestation form the representative signed. */
  form: TDocumentRef;
  partnerId: string;
  organizationName: string;
  schoolYear: string;
  signature: TSignatureRecord;
  /** Requested, viewed, reminded and signed, in order, for the certificate of completion. */
  events: TSigningEvent[];
  /** The workflow's time: the signature page's date and the digital signature's signing time. */
  generatedAt: string;
}

/**
 * The signed attestation, sealed like an executed contract: the form, a signature page and a certificate of completion,
 * digitally signed by the district last so the signature covers all of it.
 */
export const generateSignedAttestationPdf =
  ({ documents, timeZone, districtSeal }: { documents: DocumentStore; timeZone: string; districtSeal: TDistrictSeal }) =>
  async (input: TSignedAttestationInput): Promise<TDocumentRef> => {
    const name = `the safety protocol attestation of ${input.organizationName} (${input.partnerId}) for ${input.schoolYear}`;
    const common = { contractId: input.partnerId, contractSha256: input.form.sha256, generatedAt: input.generatedAt };
    const signed = await sealExecutedPdf(
      await documents.get(input.form),
      {
        signatures: {
          ...common,
          signatures: [input.signature],
          signedStatement: `The agency representative signed ${name}, the document with SHA-256:`,
        },
        certificate: { ...common, events: input.events, documentName: name },
        keyword: attestationKeyword(input.partnerId, input.schoolYear),
      },
      timeZone,
      {
        credential: districtSeal.credential,
        reason: `${districtSeal.district} certifies ${name}`,
        location: districtSeal.district,
        signingTime: new Date(input.generatedAt),
      },
    );
    const filename = `attestation-${input.partnerId}-${input.schoolYear}-signed.pdf`;
    return { ...(await documents.put(signed, { kind: 'attestation', filename })), signedBy: districtSeal.credential.subject };
  };

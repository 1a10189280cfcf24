import { formatInstant } from '../../domain/format-instant';
import { createDocument, savePdf, TextLayout } from './text-layout';

export interface TAttestationDocumentInput {
  organizationName: string;
  partnerId: string;
  district: string;
  representative: { name: string; title: string; email: string };
  attestation: { title: string; statements: string[] };
  /** The school year it covers; the agency signs again for each year. */
  schoolYear?: string;
  /** A resent form names its request, so it differs from (and supersedes) the one before. */
  requestNumber?: number;
  generatedAt: string;
}

/** The once-per-agency safety attestation an approved representative signs. */
export async function renderAttestationPdf(input: TAttestationDocumentInput, timeZone: string): Promise<Uint8Array> {
  const document = await createDocument({
    title: `${input.attestation.title}: ${input.organizationName}`,
    subject: `${input.district} agency attestation`,
    at: input.generatedAt,
  });
  const layout = await TextLayout.on(document);
  layout
    .heading(input.district, 12)
    .heading(input.attestation.title, 18)
    .rule()
    .field('Agency', input.organizationName)
    .field('Partner id', input.partnerId)
    .field('Representative', `${input.representative.name}, ${input.representative.title}`)
    .field('Email', input.representative.email);
  if (input.schoolYear) layout.field('School year', input.schoolYear);
  if (input.requestNumber && input.requestNumber > 1) layout.field('Request', `#${input.requestNumber}`);
  layout.gap(8).paragraph('On behalf of the agency and all of its staff who enter district buildings, I attest that:');
  input.attestation.statements.forEach((statement, index) => layout.paragraph(`${index + 1}. ${statement}`));
  layout
    .rule()
    .paragraph(
      `Prepared ${formatInstant(input.generatedAt, timeZone)}. Signed once per agency${input.schoolYear ? ' for the school year' : ''}, electronically.`,
      9,
    );
  return savePdf(document);
}

import type { TContractRequest, TDistrictSigner } from '../../domain/schemas/contract';
import { formatDateOrInstant, formatInstant } from '../../domain/format-instant';
import { formatAmount } from '../../domain/format-amount';
import { createDocument, savePdf, TextLayout } from './text-layout';

export interface TContractDocumentInput {
  request: TContractRequest;
  organizationName: string;
  routeLabel: string;
  district: string;
  districtSigner: TDistrictSigner;
  /** The route's agreement name, e.g. "Memorandum of Understanding". */
  documentTitle?: string;
  schoolYear?: string;
  /** Set for an amendment: the request lists every school, old and added. */
  amendment?: { number: number; addedSchools: string[] };
  generatedAt: string;
}

const TERMS = [
  'The program may not begin at any school before the final contract, signed by both parties, has been received from the District, and not before the go-live date above.',
  'Families are never charged for the program.',
  'The District does not pass student names or any other student data to the Partner. The Partner may not recruit students through the District.',
  'The Partner obtains written or electronic consent (never verbal) on release-of-information and registration forms, and makes those records available to District staff on request. Photos or videos of students need signed parent/guardian consent.',
  'The Partner conducts its own background checks for everyone who serves students, and follows the District health and safety protocols attested once for the agency.',
  'Electronic signatures on this contract have the same effect as handwritten ones. Each signature records the signer, time, origin and the SHA-256 of this document.',
];

/** The contract both parties sign: parties, program, schools, route, amount and dates. */
/** Times are shown in `timeZone`, the district's. */
export async function renderContractPdf(input: TContractDocumentInput, timeZone: string): Promise<Uint8Array> {
  const { request, amendment } = input;
  const documentTitle = input.documentTitle ?? 'Community Partnership Contract';
  const document = await createDocument({
    title: `${amendment ? `Amendment ${amendment.number} to ` : ''}${documentTitle} ${request.contractId}: ${request.programName}`,
    subject: `${input.district} and ${input.organizationName}`,
    at: input.generatedAt,
  });
  const layout = await TextLayout.on(document);
  layout
    .heading(`${input.district}`, 12)
    .heading(amendment ? `Amendment ${amendment.number} to the ${documentTitle}` : documentTitle, 20)
    .paragraph(`Contract ${request.contractId} · ${input.routeLabel}${input.schoolYear ? ` · school year ${input.schoolYear}` : ''}`);
  if (amendment) {
    layout.paragraph(
      `This amendment adds ${amendment.addedSchools.join('; ')} to the contract. All other terms stay as signed. The program may start at the added schools only once both parties have signed this amendment.`,
    );
  }
  layout
    .rule()
    .heading('Parties', 13)
    .field('District', input.district)
    .field('Partner', input.organizationName)
    .field(
      'Partner signer',
      `${request.partnerSigner.name}${request.partnerSigner.title ? `, ${request.partnerSigner.title}` : ''} <${request.partnerSigner.email}>`,
    )
    .field('District signer', `${input.districtSigner.name} (${input.districtSigner.office}) <${input.districtSigner.email}>`)
    .field('Initiated by', request.initiatedBy.name)
    .heading('Program', 13)
    .field('Program', request.programName)
    .field('Services', request.services.map((s) => s.replace(/_/g, ' ')).join(', '))
    .field('Schools', request.schools.join('; '))
    .field('Route', input.routeLabel)
    .field('Amount', request.amountCents === 0 ? `${formatAmount(0)} (no money changes hands)` : formatAmount(request.amountCents))
    .field('Paying department', request.payingDepartment?.name ?? 'none')
    .field('Term', `${request.startDate} to ${request.endDate}`)
    .field('Go-live', request.goLiveDate ? formatDateOrInstant(request.goLiveDate, timeZone) : `${request.startDate} (the start date)`);
  if (request.programDescription) layout.gap(6).paragraph(request.programDescription);
  layout.heading('Terms', 13);
  TERMS.forEach((term, index) => layout.paragraph(`${index + 1}. ${term}`));
  layout.rule().paragraph(`Prepared ${formatInstant(input.generatedAt, timeZone)}. Signatures follow on the executed copy.`, 9);
  return savePdf(document);
}

import { PDFDocument } from 'pdf-lib';
import type { TSigningEvent } from '../../domain/schemas/contract';
import { formatInstant } from '../../domain/format-instant';
import { applyMetadata, savePdf, TextLayout } from './text-layout';

export interface TCompletionCertificateInput {
  contractId: string;
  /** The SHA-256 of the contract document both parties signed. */
  contractSha256: string;
  /** Every event of every signature request, in the order they happened. */
  events: TSigningEvent[];
  generatedAt: string;
  /** The document's name in sentences; by default `contract <id>`. */
  documentName?: string;
}

/** The PDF Keywords entry naming the contract, so `cpo verify` can tell from a file which contract it claims to be. */
export const contractKeyword = (contractId: string): string => `cpo-contract:${contractId}`;
export const contractIdFromKeywords = (keywords: string | undefined): string | undefined =>
  /(?:^|\s)cpo-contract:([a-z0-9][a-z0-9-]*)(?:\s|$)/.exec(keywords ?? '')?.[1];

/** The Keywords entry of a signed attestation: the partner and the school year it was signed for. */
export const attestationKeyword = (partnerId: string, schoolYear: string): string => `cpo-attestation:${partnerId}:${schoolYear}`;
export const attestationFromKeywords = (keywords: string | undefined): { partnerId: string; schoolYear: string } | undefined => {
  const match = /(?:^|\s)cpo-attestation:([a-z0-9][a-z0-9-]*):(\d{4}-\d{4})(?:\s|$)/.exec(keywords ?? '');
  return match ? { partnerId: match[1]!, schoolYear: match[2]! } : undefined;
};

const EVENT_TITLES: Record<TSigningEvent['type'], string> = {
  sent: 'Signature request sent',
  reminded: 'Reminder sent',
  resent: 'Signature request sent again',
  viewed: 'Signing page viewed',
  signed: 'Signed',
  declined: 'Declined',
  voided: 'Voided',
  expired: 'Expired',
};

const ROLE_LABELS: Record<TSigningEvent['role'], string> = { partner: 'partner signer', district: 'district signer' };

/** Bytes in, bytes out: the executed contract followed by its certificate of completion, one block per signing event. */
export async function appendCompletionCertificate(
  bytes: Uint8Array,
  input: TCompletionCertificateInput,
  timeZone: string,
): Promise<Uint8Array> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  applyMetadata(document, {
    title: document.getTitle() ?? `${input.contractId} (executed)`,
    subject: document.getSubject() ?? '',
    at: input.generatedAt,
  });
  document.setKeywords([contractKeyword(input.contractId)]);

  drawCompletionCertificate(await TextLayout.on(document), input, timeZone);
  return savePdf(document);
}

/** The certificate of completion, drawn from the layout's current (new) page on. */
export function drawCompletionCertificate(layout: TextLayout, input: TCompletionCertificateInput, timeZone: string): void {
  const name = input.documentName ?? `contract ${input.contractId}`;
  layout
    .heading('Certificate of completion', 18)
    .paragraph(
      `${name[0]!.toUpperCase()}${name.slice(1)}. Every event of its signature requests, in order. The document as signed has SHA-256:`,
    )
    .paragraph(input.contractSha256, 8.5)
    .rule();
  if (input.events.length === 0) layout.paragraph('No signing events were recorded.');
  input.events.forEach((event, index) => {
    layout
      .block(`${index + 1}. ${EVENT_TITLES[event.type]} (${ROLE_LABELS[event.role]})`, [
        ['Time', formatInstant(event.at, timeZone, { seconds: true })],
        ['Role', event.role],
        ['Signer', event.name],
        ['Email', event.email],
        ['IP address', event.ipAddress ?? 'not recorded'],
        ['User agent', event.userAgent ?? 'not recorded'],
        ['Request number', String(event.requestNumber)],
        ['Document SHA-256', event.documentSha256],
        ...(event.detail ? [['Detail', event.detail] as const] : []),
      ])
      .gap(6);
  });
  layout.rule().paragraph(`Certificate generated ${formatInstant(input.generatedAt, timeZone, { seconds: true })} for ${name}.`, 9);
}

import { PDFDocument } from 'pdf-lib';
import type { TSignatureRecord } from '../../domain/schemas/contract';
import { formatInstant } from '../../domain/format-instant';
import { applyMetadata, savePdf, TextLayout } from './text-layout';

export interface TSignaturePageInput {
  contractId: string;
  contractSha256: string;
  signatures: TSignatureRecord[];
  generatedAt: string;
  /** What was signed and by whom, before its SHA-256; by default the contract both parties signed. */
  signedStatement?: string;
}

/** Bytes in, bytes out: the signed contract followed by a page recording every signature. */
export async function appendSignaturePage(contractBytes: Uint8Array, input: TSignaturePageInput, timeZone: string): Promise<Uint8Array> {
  const document = await PDFDocument.load(contractBytes, { updateMetadata: false });
  markExecuted(document, input);
  drawSignaturePage(await TextLayout.on(document), input, timeZone);
  return savePdf(document);
}

/** The signature page, drawn from the layout's current (new) page on. */
export function drawSignaturePage(layout: TextLayout, input: TSignaturePageInput, timeZone: string): void {
  layout
    .heading('Signatures', 18)
    .paragraph(input.signedStatement ?? `Contract ${input.contractId}. Both parties signed the document with SHA-256:`)
    .paragraph(input.contractSha256, 8.5)
    .rule();
  for (const signature of input.signatures) {
    layout
      .heading(signature.role === 'partner' ? 'For the partner' : 'For the district', 13)
      .field('Signed by', `${signature.name}${signature.title ? `, ${signature.title}` : ''}`)
      .field('Email', signature.email)
      .field('Signed at', formatInstant(signature.signedAt, timeZone, { seconds: true }))
      .field('Method', signature.method.replace('_', ' '))
      .field('From', [signature.ipAddress, signature.userAgent].filter(Boolean).join(' · ') || 'not recorded')
      .field('Request number', String(signature.requestNumber))
      .field('Document SHA-256', signature.documentSha256, 8.5)
      .gap(6);
  }
  layout
    .rule()
    .paragraph(
      `Executed ${formatInstant(input.generatedAt, timeZone, { seconds: true })}. Electronic consent was given by each signer.`,
      9,
    );
}

/** The executed document's title and dates. */
export function markExecuted(document: PDFDocument, input: { contractId: string; generatedAt: string }): void {
  applyMetadata(document, {
    title: `${document.getTitle() ?? input.contractId} (executed)`,
    subject: document.getSubject() ?? '',
    at: input.generatedAt,
  });
}

import { PDFDocument } from 'pdf-lib';
import { contractKeyword, drawCompletionCertificate, type TCompletionCertificateInput } from './append-completion-certificate';
import { drawSignaturePage, markExecuted, type TSignaturePageInput } from './append-signature-page';
import { addSignaturePlaceholder, saveSigned, type TSignPdfOptions } from './sign-pdf';
import { TextLayout } from './text-layout';

/**
 * Bytes in, bytes out: the signed document followed by its signature page and certificate of completion, the same
 * pages as appendSignaturePage then appendCompletionCertificate, digitally signed by the district last so the
 * signature covers all of it. One load and one save: each font is subset and compressed once, and the signature
 * fills the placeholder of that save.
 */
export async function sealExecutedPdf(
  signedBytes: Uint8Array,
  /** `keyword` names the document for `cpo verify`; by default the contract's. */
  input: { signatures: TSignaturePageInput; certificate: TCompletionCertificateInput; keyword?: string },
  timeZone: string,
  seal: TSignPdfOptions,
): Promise<Uint8Array> {
  const document = await PDFDocument.load(signedBytes, { updateMetadata: false });
  markExecuted(document, input.signatures);
  document.setKeywords([input.keyword ?? contractKeyword(input.certificate.contractId)]);
  const layout = await TextLayout.on(document);
  drawSignaturePage(layout, input.signatures, timeZone);
  drawCompletionCertificate(layout.newPage(), input.certificate, timeZone);
  addSignaturePlaceholder(document, seal);
  return saveSigned(document, seal.credential);
}

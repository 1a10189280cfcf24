import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { PDFDocument } from 'pdf-lib';
import type { TSigningCredential } from '../../security/signing-credential';
import { createCadesSignature } from './create-cades-signature';
import { savePdf } from './text-layout';

export interface TSignPdfOptions {
  credential: TSigningCredential;
  reason: string;
  location: string;
  /** The workflow's time, so a retried activity makes the same bytes. */
  signingTime: Date;
}

/** The seal of executed documents: the district's name (for reason and location) and its certificate. */
export interface TDistrictSeal {
  district: string;
  credential: TSigningCredential;
}

/** CMS overhead beyond the certificates (attributes, algorithm identifiers, a 4096-bit RSA signature), with margin. */
const SIGNATURE_OVERHEAD_BYTES = 2048;

class CadesSigner extends Signer {
  constructor(private readonly credential: TSigningCredential) {
    super();
  }

  override sign(signedBytes: Buffer): Promise<Buffer> {
    return Promise.resolve(createCadesSignature(signedBytes, this.credential));
  }
}

/** Reserves the signature dictionary in `document`, to be filled by signPlaceholder once the document is saved. */
export function addSignaturePlaceholder(document: PDFDocument, { credential, reason, location, signingTime }: TSignPdfOptions): void {
  pdflibAddPlaceholder({
    pdfDoc: document,
    reason,
    location,
    contactInfo: '',
    name: credential.name,
    signingTime,
    subFilter: 'ETSI.CAdES.detached',
    // In hex digits, two per byte.
    signatureLength: 2 * (SIGNATURE_OVERHEAD_BYTES + credential.certificates.reduce((sum, certificate) => sum + certificate.length, 0)),
  });
}

/**
 * Saves `document` with its placeholder and signs it: the signature's byte range covers the whole file. Saved
 * without object streams, so the signature dictionary stays in plain text where its byte range is written.
 */
export async function saveSigned(document: PDFDocument, credential: TSigningCredential): Promise<Uint8Array> {
  const withPlaceholder = Buffer.from(await savePdf(document));
  return new Uint8Array(await new SignPdf().sign(withPlaceholder, new CadesSigner(credential)));
}

/**
 * Bytes in, bytes out: the document signed by the district with a PAdES signature (ETSI.CAdES.detached) whose byte
 * range covers the whole file. Apply it last: anything saved after it breaks the signature or leaves it covering only
 * part of the file.
 */
export async function signPdf(bytes: Uint8Array, options: TSignPdfOptions): Promise<Uint8Array> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  addSignaturePlaceholder(document, options);
  return saveSigned(document, options.credential);
}

import { PDFDocument } from 'pdf-lib';
import { attestationFromKeywords, contractIdFromKeywords } from '../activities/pdf/append-completion-certificate';
import { extractPdfText } from '../activities/pdf/extract-pdf-text';
import { sha256Hex, type DocumentStore } from '../activities/storage/document-store';
import type { TDocumentRef } from '../domain/schemas/common';
import type { TSignatureRecord } from '../domain/schemas/contract';
import { checkPdfSignature, type TPdfSignatureCheck } from './check-pdf-signature';
import type { TCpoContext } from './context';
import { getContractStatus } from './contracts';
import { getPartnerStatus } from './partners';
import { CpoInputError, CpoRefusedError, CpoUnavailableError } from './errors';

export interface TVerifyResult {
  /** True when the district's digital signature checks out and the file is byte for byte the executed contract on record. */
  verified: boolean;
  /** The offline checks of the digital signature, made before the record is asked. */
  signature: TPdfSignatureCheck;
  /** The contract, or for a signed attestation its partner. */
  contractId: string;
  /** What the file claims to be, in words: `executed contract <id>` or `signed attestation of <partner> for <year>`. */
  documentName: string;
  /** The SHA-256 of the executed contract on record. */
  expectedSha256: string;
  /** The SHA-256 of the file. */
  actualSha256: string;
  /** The signatures on record for the contract. */
  signatures: TSignatureRecord[];
  /** What differs from the record, in human terms; empty when the file is the one on record. */
  differences: string[];
}

/** Thrown when the record cannot be asked (Temporal does not answer), carrying the offline checks already made. */
export class RecordUnavailableError extends CpoUnavailableError {
  constructor(
    message: string,
    readonly signature: TPdfSignatureCheck,
  ) {
    super(message);
  }
}

/**
 * Checks the district's digital signature offline (intact, covering the whole file, by `districtCertificate` or a
 * certificate under it), then whether `bytes` are exactly the executed contract on record: the contract is the one
 * given, or the one the file names in its Keywords (`cpo-contract:<id>`). When they are not, lists what differs.
 */
export async function verifyExecutedPdf(
  context: TCpoContext,
  documents: DocumentStore,
  bytes: Uint8Array,
  districtCertificate: Buffer,
  contractId?: string,
): Promise<TVerifyResult> {
  const signature = checkPdfSignature(bytes, districtCertificate);
  const file = await readPdf(bytes);
  const keywords = file.document?.getKeywords();
  const attestation = contractId === undefined ? attestationFromKeywords(keywords) : undefined;
  const id = attestation ?? contractId ?? contractIdFromKeywords(keywords);
  if (id === undefined) {
    throw CpoInputError.forField(
      'contractId',
      file.document
        ? 'is required: the file does not say which contract it is (its keywords have no cpo-contract entry)'
        : `is required: the file is not a readable PDF (${file.loadError}), so it does not say which contract it is`,
    );
  }

  let record: TRecord;
  try {
    record = await recordOf(context, id);
  } catch (error) {
    if (error instanceof CpoUnavailableError) throw new RecordUnavailableError(error.message, signature);
    throw error;
  }
  const { executed } = record;
  const actualSha256 = sha256Hex(bytes);
  // A contract executed before documents were signed carries no signature: the record alone speaks for it. Every
  // sealed attestation is signed.
  const signatureValid = signature.problems.length === 0 || (!signature.signed && !attestation);
  const result = {
    signature,
    contractId: record.contractId,
    documentName: record.documentName,
    expectedSha256: executed.sha256,
    actualSha256,
    signatures: record.signatures,
  };
  if (actualSha256 === executed.sha256) return { verified: signatureValid, ...result, differences: [] };

  let expected: Uint8Array;
  try {
    expected = await documents.get(executed);
  } catch (error) {
    return {
      verified: false,
      ...result,
      differences: [`SHA-256 differs, and the executed contract on record could not be read to say more (${firstLine(error)})`],
    };
  }
  return { verified: false, ...result, differences: await describeDifferences(bytes, file, expected) };
}

interface TRecord {
  contractId: string;
  documentName: string;
  executed: TDocumentRef;
  signatures: TSignatureRecord[];
}

/** The sealed document on record: the signed attestation the keywords name, or else the contract's executed document. */
async function recordOf(context: TCpoContext, document: string | { partnerId: string; schoolYear: string }): Promise<TRecord> {
  if (typeof document !== 'string') {
    const attestation = document;
    const status = await getPartnerStatus(context, attestation.partnerId);
    const signed = status.attestations.find((record) => record.schoolYear === attestation.schoolYear);
    const documentName = `signed attestation of ${status.partnerId} for ${attestation.schoolYear}`;
    if (!signed?.sealed) throw new CpoRefusedError(`Refused: partner ${status.partnerId} has no ${documentName} on record yet`);
    const { name, title, email } = signed.signedBy;
    const signature: TSignatureRecord = {
      role: 'partner',
      name,
      title,
      email,
      signedAt: signed.signedAt,
      method: signed.method ?? 'cli',
      requestNumber: 1,
      documentSha256: signed.document.sha256,
    };
    return { contractId: status.partnerId, documentName, executed: signed.sealed, signatures: [signature] };
  }
  const status = await getContractStatus(context, document);
  const executed = status.documents.executed;
  if (!executed) throw new CpoRefusedError(`Refused: contract ${status.contractId} has no executed document yet (stage ${status.stage})`);
  return { contractId: status.contractId, documentName: `executed contract ${status.contractId}`, executed, signatures: status.signatures };
}

interface TReadPdf {
  document: PDFDocument | null;
  loadError?: string;
  pages: string[] | null;
  textError?: string;
}

/** A PDF as far as it can be read: parsed, then its page text. A file that is not a PDF gives neither. */
async function readPdf(bytes: Uint8Array): Promise<TReadPdf> {
  let document: PDFDocument;
  try {
    // Strict: a damaged file is reported as unreadable rather than half-read (and pdf-lib logs no warnings).
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    return { document: null, loadError: firstLine(error), pages: null };
  }
  try {
    return { document, pages: (await extractPdfText(bytes)).pages };
  } catch (error) {
    return { document, pages: null, textError: firstLine(error) };
  }
}

async function describeDifferences(actualBytes: Uint8Array, actual: TReadPdf, expectedBytes: Uint8Array): Promise<string[]> {
  const differences = byteDifferences(actualBytes, expectedBytes);
  if (!actual.document) return [...differences, `not a readable PDF (${actual.loadError})`];
  const expected = await readPdf(expectedBytes);
  if (!expected.document) return [...differences, `the executed contract on record is not a readable PDF (${expected.loadError})`];

  const actualCount = actual.document.getPageCount();
  const expectedCount = expected.document.getPageCount();
  if (actualCount !== expectedCount) differences.push(`page count: the file has ${actualCount}, the executed contract ${expectedCount}`);

  if (!actual.pages) differences.push(`the file's page text cannot be read (${actual.textError})`);
  else if (expected.pages) {
    const changed = actual.pages.flatMap((text, index) =>
      index < expected.pages!.length && text !== expected.pages![index] ? [index + 1] : [],
    );
    if (changed.length > 0) differences.push(`text differs on page${changed.length > 1 ? 's' : ''} ${changed.join(', ')}`);
    else if (actualCount === expectedCount) {
      differences.push(`the text of all ${actualCount} pages is the same; what differs is layout, fonts, structure or metadata`);
    }
  }

  for (const [name, read] of [
    ['title', (document: PDFDocument) => document.getTitle()],
    ['keywords', (document: PDFDocument) => document.getKeywords()],
  ] as const) {
    const [mine, theirs] = [read(actual.document), read(expected.document)];
    if (mine !== theirs) differences.push(`${name}: the file's is ${quote(mine)}, the executed contract's ${quote(theirs)}`);
  }
  return differences;
}

/** Size and the first byte that differs, for someone comparing the two files with a hex viewer. */
function byteDifferences(actual: Uint8Array, expected: Uint8Array): string[] {
  const differences: string[] = [];
  if (actual.byteLength !== expected.byteLength) {
    differences.push(`size: the file is ${actual.byteLength} bytes, the executed contract ${expected.byteLength} bytes`);
  }
  const common = Math.min(actual.byteLength, expected.byteLength);
  let offset = 0;
  while (offset < common && actual[offset] === expected[offset]) offset++;
  const at = `first differing byte at offset ${offset} (0x${offset.toString(16)})`;
  if (offset < common) {
    differences.push(`${at}: the file has 0x${hexByte(actual[offset]!)}, the executed contract 0x${hexByte(expected[offset]!)}`);
  } else {
    differences.push(`${at}: ${actual.byteLength < expected.byteLength ? 'the file ends there' : 'the executed contract ends there'}`);
  }
  return differences;
}

const hexByte = (byte: number): string => byte.toString(16).padStart(2, '0');
const quote = (value: string | undefined): string => (value === undefined ? 'absent' : JSON.stringify(value));
const firstLine = (error: unknown): string =>
  String(error instanceof Error ? error.message : error)
    .split('\n')[0]!
    .slice(0, 200);

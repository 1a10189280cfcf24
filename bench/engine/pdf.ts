import { PDFDocument } from 'pdf-lib';
import { generateContractPdf } from '../../activities/generate-contract-pdf';
import { generateExecutedContractPdf } from '../../activities/generate-executed-contract-pdf';
import type { TContractDocumentInput } from '../../activities/pdf/render-contract-pdf';
import { describeDocument, sha256Hex } from '../../activities/storage/document-store';
import { createSelfSignedP12 } from '../../config/load-signing-credential';
import { resolveDistrictSigner } from '../../domain/contract-rules';
import type { TPolicy } from '../../domain/policy';
import type { TDocumentRef } from '../../domain/schemas/common';
import { contractRequestSchemaFor, type TSignatureRecord, type TSigningEvent } from '../../domain/schemas/contract';
import { schoolYearOf } from '../../domain/school-year';
import { readSigningCredential } from '../../security/signing-credential';
import { distribution, type TDistribution } from '../lib/stats';
import { contractDates, contractRequest, partnerApplications } from './bench-data';

// (d) PDF generation, in process.

export interface TPdfResult {
  iterations: number;
  contractPdf: TDistribution;
  sealedPdf: TDistribution;
  contractBytes: number;
  contractPages: number;
  sealedBytes: number;
  sealedPages: number;
}

type TDocumentStore = Parameters<typeof generateContractPdf>[0]['documents'];

/** The activities' document store kept in memory, hashing as the folder store does, so only the PDF work is timed. */
function memoryDocumentStore(): TDocumentStore & { bytesOf(id: string): Uint8Array } {
  const files = new Map<string, Uint8Array>();
  return {
    put(bytes, meta) {
      const ref = describeDocument(bytes, meta);
      files.set(ref.id, bytes);
      return Promise.resolve(ref);
    },
    get({ id, sha256: expected }) {
      const bytes = files.get(id);
      if (!bytes || sha256Hex(bytes) !== expected) return Promise.reject(new Error(`No document ${id} with that SHA-256`));
      return Promise.resolve(bytes);
    },
    bytesOf: (id) => files.get(id)!,
  };
}

/** The non-Latin case: Ge'ez, Arabic and Chinese names, so the fallback faces (CJK the largest) are embedded. */
export const NON_LATIN_NAMES = { organizationName: 'የኢትዮጵያ ማህበረሰብ ማዕከል الجمعية 华人社区服务中心', representativeName: 'ሰላም ገብረ 王小明' };

export async function measurePdfs(policy: TPolicy, iterations: number, names?: typeof NON_LATIN_NAMES): Promise<TPdfResult> {
  const warmUps = 20;
  const documents = memoryDocumentStore();
  const generateContract = generateContractPdf({ documents, timeZone: policy.timeZone });
  // Sealed and signed, as the worker does it, with a district certificate like the embedded default's.
  const districtSeal = { district: policy.district, credential: readSigningCredential(createSelfSignedP12(policy.district), '') };
  const generateExecuted = generateExecutedContractPdf({ documents, timeZone: policy.timeZone, districtSeal });
  const latin = partnerApplications('pdf-partner', 1)[0]!;
  const partner = names
    ? { ...latin, organizationName: names.organizationName, representative: { ...latin.representative, name: names.representativeName } }
    : latin;
  const request = contractRequestSchemaFor(policy).parse(contractRequest('pdf-000001', partner, contractDates(policy), 0));
  const route = policy.routes[request.route]!;
  const districtSigner = resolveDistrictSigner(policy, request);
  const documentInput = (generatedAt: string): TContractDocumentInput => ({
    request,
    organizationName: partner.organizationName,
    routeLabel: route.label,
    district: policy.district,
    districtSigner,
    documentTitle: route.documentTitle,
    schoolYear: schoolYearOf(request.startDate, policy.schoolYear, policy.timeZone).name,
    generatedAt,
  });
  const sealedInput = (contractDocument: TDocumentRef, generatedAt: string) => {
    const at = (minutes: number) => new Date(Date.parse(generatedAt) - minutes * 60_000).toISOString();
    const base = { documentSha256: contractDocument.sha256 };
    const signatures: TSignatureRecord[] = [
      {
        ...base,
        role: 'partner',
        ...partner.representative,
        signedAt: at(30),
        method: 'link',
        ipAddress: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0',
        requestNumber: 1,
      },
      {
        ...base,
        role: 'district',
        name: districtSigner.name,
        email: districtSigner.email,
        signedAt: at(1),
        method: 'cli',
        requestNumber: 2,
      },
    ];
    const partnerEvent = {
      ...base,
      role: 'partner' as const,
      name: partner.representative.name,
      email: partner.representative.email,
      requestNumber: 1,
    };
    const districtEvent = { ...base, role: 'district' as const, name: districtSigner.name, email: districtSigner.email, requestNumber: 2 };
    const events: TSigningEvent[] = [
      { ...partnerEvent, at: at(60), type: 'sent' },
      {
        ...partnerEvent,
        at: at(35),
        type: 'viewed',
        ipAddress: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0',
      },
      { ...partnerEvent, at: at(30), type: 'signed', detail: 'by link', ipAddress: '203.0.113.7' },
      { ...districtEvent, at: at(29), type: 'sent' },
      { ...districtEvent, at: at(1), type: 'signed', detail: 'by cli' },
    ];
    return { contractDocument, contractId: request.contractId, signatures, events, generatedAt };
  };

  const contractMs: number[] = [];
  const sealedMs: number[] = [];
  let contract: TDocumentRef | undefined;
  let sealed: TDocumentRef | undefined;
  for (let i = 0; i < warmUps + iterations; i++) {
    const generatedAt = new Date(Date.now() + i * 1000).toISOString(); // different bytes each time, as in production
    let started = performance.now();
    contract = await generateContract(documentInput(generatedAt));
    const contractTook = performance.now() - started;
    started = performance.now();
    sealed = await generateExecuted(sealedInput(contract, generatedAt));
    const sealedTook = performance.now() - started;
    if (i >= warmUps) {
      contractMs.push(contractTook);
      sealedMs.push(sealedTook);
    }
  }
  const pagesOf = async (ref: TDocumentRef) => (await PDFDocument.load(documents.bytesOf(ref.id))).getPageCount();
  return {
    iterations,
    contractPdf: distribution(contractMs)!,
    sealedPdf: distribution(sealedMs)!,
    contractBytes: contract!.size,
    contractPages: await pagesOf(contract!),
    sealedBytes: sealed!.size,
    sealedPages: await pagesOf(sealed!),
  };
}

import {
  beginText,
  endText,
  PDFArray,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  setFontAndSize,
  showText,
  StandardFonts,
} from 'pdf-lib';
import { appendCompletionCertificate } from '../../activities/pdf/append-completion-certificate';
import { appendSignaturePage } from '../../activities/pdf/append-signature-page';
import { renderAttestationPdf, type TAttestationDocumentInput } from '../../activities/pdf/render-attestation-pdf';
import { renderContractPdf, type TContractDocumentInput } from '../../activities/pdf/render-contract-pdf';
import { sha256Hex } from '../../activities/storage/document-store';
import { resolveDistrictSigner } from '../../domain/contract-rules';
import { formatInstant } from '../../domain/format-instant';
import { ZPolicySchema } from '../../domain/policy';
import type { TContractRequest, TSignatureRecord, TSigningEvent } from '../../domain/schemas/contract';
import policyJson from '../../policies/minneapolis.json';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';

const policy = ZPolicySchema.parse(policyJson);
const generatedAt = '2026-08-15T12:00:00.000Z';
const organizationName = 'Hội Người Việt Tutoring';

const request: TContractRequest = {
  exchangesStudentData: false,
  contractId: 'ctr-anwatin-reading',
  partnerId: 'hoi-nguoi-viet',
  programName: 'After-school reading circles',
  services: ['literacy_tutoring'],
  schools: ['Anwatin Middle', 'Folwell Middle'],
  category: 'contracted_partner',
  route: 'department_paid',
  amountCents: 1_250_000,
  startDate: '2026-09-01',
  endDate: '2027-06-10',
  goLiveDate: '2026-09-01',
  initiatedBy: { name: 'Dana Approver', email: 'dana.approver@mpls.k12.mn.us' },
  payingDepartment: { name: 'Office of Academics', approverName: 'Dana Approver', approverEmail: 'dana.approver@mpls.k12.mn.us' },
  partnerSigner: { name: 'Lan Nguyễn', email: 'lan@hoi-nguoi-viet.example', title: 'Executive Director' },
};
const routeLabel = policy.routes[request.route]!.label;

const contractInput = (overrides: Partial<TContractDocumentInput> = {}): TContractDocumentInput => ({
  request,
  organizationName,
  routeLabel,
  district: policy.district,
  districtSigner: resolveDistrictSigner(policy, request),
  generatedAt,
  ...overrides,
});

const attestationInput = (overrides: Partial<TAttestationDocumentInput> = {}): TAttestationDocumentInput => ({
  organizationName,
  partnerId: request.partnerId,
  district: policy.district,
  representative: { name: 'Lan Nguyễn', title: 'Executive Director', email: 'lan@hoi-nguoi-viet.example' },
  attestation: policy.attestation,
  generatedAt,
  ...overrides,
});

/** Lines wrap wherever the layout decides; compare text with any run of whitespace as one space. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');
const textOf = async (bytes: Uint8Array) => {
  const { pageCount, pages } = await extractPdfText(bytes);
  return { pageCount, pages, all: flat(pages.join('\n')) };
};

describe('renderContractPdf', () => {
  it('prints the parties, schools, route and amount, with diacritics intact', async () => {
    const bytes = await renderContractPdf(contractInput(), policy.timeZone);
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThanOrEqual(1);

    const { pageCount, all } = await textOf(bytes);
    expect(pageCount).toBeGreaterThanOrEqual(1);
    expect(all).toContain('Community Partnership Contract');
    expect(all).toContain(organizationName);
    expect(all).toContain('$12,500.00');
    expect(all).toContain('Anwatin Middle');
    expect(all).toContain('Folwell Middle');
    expect(all).toContain(routeLabel);
    expect(all).toContain('Minneapolis Public Schools');
    expect(all).toContain('Lan Nguyễn');
    expect(all).toContain('Office of Academics');
    expect(all).toContain('Dana Approver');
    expect(all).toContain('Contract ctr-anwatin-reading · Department-paid contract');
  });

  it('gives byte-identical output for the same input, so a retried activity stores the same document', async () => {
    const first = await renderContractPdf(contractInput(), policy.timeZone);
    const second = await renderContractPdf(contractInput(), policy.timeZone);
    expect(sha256Hex(second)).toBe(sha256Hex(first));
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('changes the bytes when the content changes', async () => {
    const first = await renderContractPdf(contractInput(), policy.timeZone);
    const other = await renderContractPdf(contractInput({ request: { ...request, amountCents: 1_250_001 } }), policy.timeZone);
    expect(sha256Hex(other)).not.toBe(sha256Hex(first));
    expect((await textOf(other)).all).toContain('$12,500.01');
  });

  it.each([
    ['Somali', 'Ururka Haweenka Soomaaliyeed', 'Xaliimo Cabdi Maxamed'],
    ['Oromo', 'Waldaa Aadaa Oromoo', 'Caaltuu Tolasaa'],
    ['Vietnamese', 'Hội Người Việt Tutoring', 'Nguyễn Thị Ánh Tuyết'],
  ])('prints %s names of the organization and signer as written', async (_language, organization, signer) => {
    const bytes = await renderContractPdf(
      contractInput({ organizationName: organization, request: { ...request, partnerSigner: { ...request.partnerSigner, name: signer } } }),
      policy.timeZone,
    );
    const { all } = await textOf(bytes);
    expect(all).toContain(organization);
    expect(all).toContain(signer);
    expect(all).not.toContain('\uFFFD');
  });
});

describe('renderAttestationPdf', () => {
  it('prints the organization, the representative and every statement of the policy', async () => {
    const { all } = await textOf(await renderAttestationPdf(attestationInput(), policy.timeZone));
    expect(all).toContain(policy.attestation.title);
    expect(all).toContain(organizationName);
    expect(all).toContain('Lan Nguyễn, Executive Director');
    expect(policy.attestation.statements.length).toBeGreaterThan(0);
    policy.attestation.statements.forEach((statement, index) => {
      const firstWords = statement.split(/\s+/).slice(0, 6).join(' ');
      expect(all).toContain(`${index + 1}. ${firstWords}`);
    });
  });

  it.each([
    ['Somali', 'Ururka Haweenka Soomaaliyeed', 'Xaliimo Cabdi Maxamed'],
    ['Oromo', 'Waldaa Aadaa Oromoo', 'Caaltuu Tolasaa'],
  ])('prints %s names of the agency and representative as written', async (_language, organization, representative) => {
    const bytes = await renderAttestationPdf(
      attestationInput({
        organizationName: organization,
        representative: { name: representative, title: 'Director', email: 'director@agency.example' },
      }),
      policy.timeZone,
    );
    const { all } = await textOf(bytes);
    expect(all).toContain(organization);
    expect(all).toContain(`${representative}, Director`);
  });

  it('gives byte-identical output for the same input', async () => {
    const first = await renderAttestationPdf(attestationInput(), policy.timeZone);
    expect(sha256Hex(await renderAttestationPdf(attestationInput(), policy.timeZone))).toBe(sha256Hex(first));
  });
});

describe('appendSignaturePage', () => {
  const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  const signaturesFor = (contractSha256: string): TSignatureRecord[] => [
    {
      role: 'partner',
      name: 'Lan Nguyễn',
      title: 'Executive Director',
      email: 'lan@hoi-nguoi-viet.example',
      signedAt: '2026-08-16T15:04:05.000Z',
      method: 'link',
      ipAddress: '203.0.113.7',
      userAgent,
      requestNumber: 1,
      documentSha256: contractSha256,
    },
    {
      role: 'district',
      name: 'Dana Approver',
      email: 'dana.approver@mpls.k12.mn.us',
      signedAt: '2026-08-17T09:30:00.000Z',
      method: 'cli',
      requestNumber: 1,
      documentSha256: contractSha256,
    },
  ];

  it('keeps the contract pages and adds a page recording both signatures', async () => {
    const contractBytes = await renderContractPdf(contractInput(), policy.timeZone);
    const contractSha256 = sha256Hex(contractBytes);
    const executed = await appendSignaturePage(
      contractBytes,
      {
        contractId: request.contractId,
        contractSha256,
        signatures: signaturesFor(contractSha256),
        generatedAt: '2026-08-17T09:30:01.000Z',
      },
      policy.timeZone,
    );

    const contract = await extractPdfText(contractBytes);
    const result = await extractPdfText(executed);
    expect((await PDFDocument.load(executed)).getPageCount()).toBe(result.pageCount);
    expect(result.pageCount).toBeGreaterThanOrEqual(contract.pageCount + 1);
    expect(result.pages.slice(0, contract.pageCount)).toEqual(contract.pages);

    const signaturePages = flat(result.pages.slice(contract.pageCount).join('\n'));
    expect(signaturePages.startsWith('Signatures ')).toBe(true);
    expect(signaturePages).toContain(`Contract ${request.contractId}`);
    expect(signaturePages).toContain(contractSha256);
    expect(signaturePages).toContain('For the partner');
    expect(signaturePages).toContain('Lan Nguyễn, Executive Director');
    expect(signaturePages).toContain('For the district');
    expect(signaturePages).toContain('Dana Approver');
    expect(signaturePages).toContain('203.0.113.7');
    expect(signaturePages).toContain(userAgent);
    expect(signaturePages).toContain('2026-08-16 10:04:05 CDT'); // 15:04:05 UTC, in Minneapolis's time zone
    expect(signaturePages).toContain('link');
    expect(signaturePages).toContain('cli');
    expect(signaturePages).toContain('not recorded'); // the district signature has no IP address or user agent
    // The last page carries the closing line.
    expect(flat(result.pages[result.pageCount - 1]!)).toContain('Executed 2026-08-17 04:30:01 CDT');
  });

  it('gives byte-identical output for the same input', async () => {
    const contractBytes = await renderContractPdf(contractInput(), policy.timeZone);
    const contractSha256 = sha256Hex(contractBytes);
    const input = { contractId: request.contractId, contractSha256, signatures: signaturesFor(contractSha256), generatedAt };
    const first = await appendSignaturePage(contractBytes, input, policy.timeZone);
    expect(sha256Hex(await appendSignaturePage(contractBytes, input, policy.timeZone))).toBe(sha256Hex(first));
  });
});

describe('appendCompletionCertificate', () => {
  const userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
  const partner = { role: 'partner', name: 'Xaliimo Cabdi Maxamed', email: 'xaliimo@ururka.example' } as const;
  const district = { role: 'district', name: 'Nguyễn Thị Ánh Tuyết', email: 'cpo@mpls.k12.mn.us' } as const;
  const eventsFor = (sha: string, otherSha: string): TSigningEvent[] => [
    { at: '2026-08-15T12:00:00.000Z', type: 'sent', ...partner, requestNumber: 1, documentSha256: otherSha },
    { at: '2026-08-18T12:00:00.000Z', type: 'reminded', ...partner, requestNumber: 1, documentSha256: otherSha },
    {
      at: '2026-08-19T08:00:00.000Z',
      type: 'voided',
      ...partner,
      requestNumber: 1,
      documentSha256: otherSha,
      detail: 'superseded: schools changed',
    },
    { at: '2026-08-19T08:00:01.000Z', type: 'resent', ...partner, requestNumber: 2, documentSha256: sha },
    {
      at: '2026-08-19T09:10:11.000Z',
      type: 'viewed',
      ...partner,
      requestNumber: 2,
      documentSha256: sha,
      ipAddress: '198.51.100.23',
      userAgent,
    },
    {
      at: '2026-08-19T09:12:13.000Z',
      type: 'signed',
      ...partner,
      requestNumber: 2,
      documentSha256: sha,
      ipAddress: '198.51.100.23',
      userAgent,
    },
    { at: '2026-08-19T09:12:14.000Z', type: 'sent', ...district, requestNumber: 3, documentSha256: sha },
    {
      at: '2026-08-20T10:00:00.000Z',
      type: 'declined',
      ...district,
      requestNumber: 3,
      documentSha256: sha,
      ipAddress: '2001:db8::7',
      detail: 'wrong school list',
    },
    { at: '2026-09-20T10:00:00.000Z', type: 'expired', ...district, requestNumber: 3, documentSha256: sha },
    {
      at: '2026-08-20T11:00:00.000Z',
      type: 'signed',
      ...district,
      requestNumber: 4,
      documentSha256: sha,
      userAgent: 'cpo-cli on office-7 (dana)',
    },
  ];
  const titles = [
    'Signature request sent (partner signer)',
    'Reminder sent (partner signer)',
    'Voided (partner signer)',
    'Signature request sent again (partner signer)',
    'Signing page viewed (partner signer)',
    'Signed (partner signer)',
    'Signature request sent (district signer)',
    'Declined (district signer)',
    'Expired (district signer)',
    'Signed (district signer)',
  ];

  async function executedWithCertificate(events: (sha: string, otherSha: string) => TSigningEvent[] = eventsFor) {
    const contractBytes = await renderContractPdf(contractInput(), policy.timeZone);
    const contractSha256 = sha256Hex(contractBytes);
    const withSignatures = await appendSignaturePage(
      contractBytes,
      { contractId: request.contractId, contractSha256, signatures: [], generatedAt },
      policy.timeZone,
    );
    const input = {
      contractId: request.contractId,
      contractSha256,
      events: events(contractSha256, 'ab'.repeat(32)),
      generatedAt: '2026-08-20T11:00:01.000Z',
    };
    return { withSignatures, contractSha256, input, bytes: await appendCompletionCertificate(withSignatures, input, policy.timeZone) };
  }

  it('keeps every earlier page and adds one block per event, in order, with every field', async () => {
    const { withSignatures, contractSha256, input, bytes } = await executedWithCertificate();
    const before = await extractPdfText(withSignatures);
    const after = await extractPdfText(bytes);
    expect(after.pageCount).toBeGreaterThan(before.pageCount);
    expect(after.pages.slice(0, before.pageCount)).toEqual(before.pages);

    const certificate = flat(after.pages.slice(before.pageCount).join('\n'));
    expect(certificate.startsWith('Certificate of completion ')).toBe(true);
    expect(certificate).toContain(`Contract ${request.contractId}`);
    expect(certificate).toContain(`The document as signed has SHA-256: ${contractSha256}`);
    expect(certificate).not.toContain('\uFFFD');

    const starts = titles.map((title, index) => certificate.indexOf(`${index + 1}. ${title}`));
    expect(titles.filter((_title, index) => starts[index]! < 0)).toEqual([]);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    input.events.forEach((event, index) => {
      const block = certificate.slice(starts[index], starts[index + 1] ?? certificate.indexOf('Certificate generated'));
      expect(block).toContain(`Time ${formatInstant(event.at, policy.timeZone, { seconds: true })}`);
      expect(block).toMatch(/Time \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CDT/);
      expect(block).toContain(`Role ${event.role}`);
      expect(block).toContain(`Signer ${event.name}`);
      expect(block).toContain(`Email ${event.email}`);
      expect(block).toContain(`IP address ${event.ipAddress ?? 'not recorded'}`);
      expect(block).toContain(`User agent ${event.userAgent ?? 'not recorded'}`);
      expect(block).toContain(`Request number ${event.requestNumber}`);
      expect(block).toContain(`Document SHA-256 ${event.documentSha256}`);
      if (event.detail) expect(block).toContain(`Detail ${event.detail}`);
      else expect(block).not.toContain('Detail');
    });
    expect(flat(after.pages.at(-1)!)).toContain(`Certificate generated 2026-08-20 06:00:01 CDT for contract ${request.contractId}.`);
  });

  it('names the contract in the Keywords metadata and keeps the title', async () => {
    const { withSignatures, bytes } = await executedWithCertificate();
    const document = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(document.getKeywords()).toBe(`cpo-contract:${request.contractId}`);
    expect(document.getTitle()).toBe((await PDFDocument.load(withSignatures, { updateMetadata: false })).getTitle());
    expect(document.getModificationDate()?.toISOString()).toBe('2026-08-20T11:00:01.000Z');
  });

  it('says so when no events were recorded', async () => {
    const { bytes } = await executedWithCertificate(() => []);
    const last = flat((await extractPdfText(bytes)).pages.at(-1)!);
    expect(last).toContain('Certificate of completion');
    expect(last).toContain('No signing events were recorded.');
  });

  it('gives byte-identical output for the same input, and different bytes for a different event', async () => {
    const { withSignatures, input, bytes } = await executedWithCertificate();
    const again = await appendCompletionCertificate(withSignatures, input, policy.timeZone);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const changed = await appendCompletionCertificate(
      withSignatures,
      {
        ...input,
        events: input.events.map((event, index) => (index === 5 ? { ...event, ipAddress: '198.51.100.24' } : event)),
      },
      policy.timeZone,
    );
    expect(sha256Hex(changed)).not.toBe(sha256Hex(bytes));
  });
});

describe('extractPdfText', () => {
  it('reads standard-font text (no ToUnicode) as latin1', async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.Helvetica);
    document.addPage().drawText('Café crème', { font, x: 50, y: 700 });
    const { pageCount, pages } = await extractPdfText(await document.save());
    expect(pageCount).toBe(1);
    expect(pages[0]).toBe('Café crème');
  });

  it('decodes bfrange entries, TJ arrays and surrogate pairs through a ToUnicode CMap', async () => {
    const document = await PDFDocument.create();
    const cmap = document.context.stream(
      [
        '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
        '1 begincodespacerange <0000> <ffff> endcodespacerange',
        '2 beginbfrange',
        '<0001> <0003> <0041>', // A B C
        '<0010> <0011> [<00e9> <d83dde00>]', // é 😀
        'endbfrange',
        '1 beginbfchar',
        '<0020> <d835dc00>', // 𝐀
        'endbfchar',
        'endcmap end end',
      ].join('\n'),
    );
    const font = document.context.register(
      document.context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'Test', ToUnicode: document.context.register(cmap) }),
    );
    const page = document.addPage();
    page.node.setFontDictionary(PDFName.of('T1'), font);
    const tj = PDFArray.withContext(document.context);
    [PDFHexString.of('00100011'), PDFNumber.of(-120), PDFHexString.of('0020')].forEach((item) => tj.push(item));
    page.pushOperators(
      beginText(),
      setFontAndSize('T1', 12),
      showText(PDFHexString.of('000100020003')),
      PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [tj]),
      endText(),
    );
    const { pages } = await extractPdfText(await document.save());
    expect(pages[0]).toBe('ABC\né😀𝐀');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { appendCompletionCertificate } from '../../activities/pdf/append-completion-certificate';
import { appendSignaturePage } from '../../activities/pdf/append-signature-page';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';
import { renderAttestationPdf } from '../../activities/pdf/render-attestation-pdf';
import { renderContractPdf, type TContractDocumentInput } from '../../activities/pdf/render-contract-pdf';
import type { TContractRequest } from '../../domain/schemas/contract';
import { NAMES_IN_EVERY_SCRIPT } from '../helpers/names-in-every-script';

const TIME_ZONE = 'America/Chicago';

const names = Object.values(NAMES_IN_EVERY_SCRIPT);
const outputDir = path.join(__dirname, '../../test-output');

const request = (overrides: Partial<TContractRequest> = {}): TContractRequest => ({
  exchangesStudentData: false,
  contractId: 'ctr-every-script',
  partnerId: 'every-script',
  programName: 'After-school reading circles',
  services: ['literacy_tutoring'],
  schools: ['Anwatin Middle'],
  category: 'contracted_partner',
  route: 'department_paid',
  amountCents: 0,
  startDate: '2026-09-01',
  endDate: '2027-06-10',
  initiatedBy: { name: 'Dana Approver', email: 'dana@mpls.example' },
  partnerSigner: { name: 'Lan Nguyễn', email: 'lan@partner.example' },
  ...overrides,
});

const contractInput = (overrides: Partial<TContractRequest>, organizationName: string): TContractDocumentInput => ({
  request: request(overrides),
  organizationName,
  routeLabel: 'Department paid',
  district: 'Minneapolis Public Schools',
  districtSigner: { name: 'Pat Signer', office: 'Community Partnerships Office', email: 'pat@mpls.example' },
  generatedAt: '2026-08-15T12:00:00.000Z',
});

/** poppler's pdftotext; its bidi embedding marks (U+202A-U+202E) around right-to-left words are not text. */
const pdftotext = (file: string): string =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '');

const fontNames = async (bytes: Uint8Array): Promise<string[]> => {
  const document = await PDFDocument.load(bytes);
  const fonts = new Set<string>();
  for (const page of document.getPages()) {
    const dict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    for (const [, ref] of dict?.entries() ?? []) fonts.add(String(document.context.lookup(ref, PDFDict).get(PDFName.of('BaseFont'))));
  }
  return [...fonts].sort();
};

describe('names in every script print as written', () => {
  let contract: Uint8Array;
  const file = path.join(outputDir, 'contract-every-script.pdf');

  beforeAll(async () => {
    mkdirSync(outputDir, { recursive: true });
    contract = await renderContractPdf(
      contractInput(
        {
          programName: NAMES_IN_EVERY_SCRIPT.mixed,
          partnerSigner: { name: NAMES_IN_EVERY_SCRIPT.amharic, email: 'a@partner.example' },
          programDescription: names.join('\n'),
        },
        NAMES_IN_EVERY_SCRIPT.tigrinya,
      ),
      TIME_ZONE,
    );
    writeFileSync(file, contract);
  }, 30_000);

  it('reads every name back with the project extractor, each as its own line', async () => {
    const lines = (await extractPdfText(contract)).pages.join('\n').split('\n');
    for (const name of names) expect(lines).toContain(name);
    expect(lines).toContain(`${NAMES_IN_EVERY_SCRIPT.amharic} <a@partner.example>`);
  });

  it('reads every name back with pdftotext', () => {
    const lines = pdftotext(file)
      .split('\n')
      .map((line) => line.trim());
    for (const name of names.filter((name) => name !== NAMES_IN_EVERY_SCRIPT.mixed)) expect(lines).toContain(name);
    // Where Arabic meets other scripts on one line, poppler moves a space across the right-to-left boundary: the
    // characters are all there and in order, the spaces around the Arabic word are not where they were written.
    const withoutSpaces = (text: string) => text.replace(/\s/g, '');
    expect(lines.map(withoutSpaces)).toContain(withoutSpaces(NAMES_IN_EVERY_SCRIPT.mixed));
  });

  it('renders with pdftoppm: the page image has ink where the names are', () => {
    execFileSync('pdftoppm', ['-r', '80', '-f', '1', '-l', '1', '-png', file, path.join(outputDir, 'contract-every-script')]);
    // Grey-level statistics of the rendered page: a page of empty boxes or nothing would be far lighter.
    const pgm = execFileSync('pdftoppm', ['-r', '20', '-f', '1', '-l', '1', '-gray', file], { maxBuffer: 1 << 24 });
    expect(pgm.length).toBeGreaterThan(1000);
  });

  it('keeps a Latin-only contract to the DejaVu subsets, and a CJK one small', async () => {
    const latin = await renderContractPdf(contractInput({}, 'Ururka Haweenka Soomaaliyeed'), TIME_ZONE);
    const cjk = await renderContractPdf(contractInput({ programName: '课后阅读小组' }, NAMES_IN_EVERY_SCRIPT.simplifiedChinese), TIME_ZONE);
    console.log(`contract sizes: Latin-only ${latin.length} bytes, CJK ${cjk.length} bytes, every script ${contract.length} bytes`);
    expect(await fontNames(latin)).toEqual(expect.arrayContaining([expect.stringContaining('DejaVuSans')]));
    expect((await fontNames(latin)).every((name) => name.includes('DejaVuSans'))).toBe(true);
    expect(await fontNames(cjk)).toEqual(expect.arrayContaining([expect.stringContaining('NotoSansSC')]));
    expect(cjk.length).toBeLessThan(latin.length + 40_000);
  });

  it('prints the names on the attestation, signature page and certificate of completion too', async () => {
    const attestation = await renderAttestationPdf(
      {
        organizationName: NAMES_IN_EVERY_SCRIPT.khmer,
        partnerId: 'every-script',
        district: 'Minneapolis Public Schools',
        representative: { name: NAMES_IN_EVERY_SCRIPT.nepali, title: NAMES_IN_EVERY_SCRIPT.burmese, email: 'rep@partner.example' },
        attestation: { title: 'Safety attestation', statements: [NAMES_IN_EVERY_SCRIPT.emoji, NAMES_IN_EVERY_SCRIPT.hebrew] },
        generatedAt: '2026-08-15T12:00:00.000Z',
      },
      TIME_ZONE,
    );
    const at = '2026-08-20T15:00:00.000Z';
    const signed = await appendSignaturePage(
      contract,
      {
        contractId: 'ctr-every-script',
        contractSha256: 'a'.repeat(64),
        signatures: [
          {
            role: 'partner',
            name: NAMES_IN_EVERY_SCRIPT.korean,
            title: NAMES_IN_EVERY_SCRIPT.arabic,
            email: 'k@partner.example',
            signedAt: at,
            method: 'signing_link',
            requestNumber: 1,
            documentSha256: 'a'.repeat(64),
          },
        ],
        generatedAt: at,
      } as never,
      TIME_ZONE,
    );
    const certified = await appendCompletionCertificate(
      signed,
      {
        contractId: 'ctr-every-script',
        contractSha256: 'a'.repeat(64),
        events: [
          {
            type: 'signed',
            role: 'partner',
            at,
            name: NAMES_IN_EVERY_SCRIPT.lao,
            email: 'l@partner.example',
            requestNumber: 1,
            documentSha256: 'a'.repeat(64),
            detail: NAMES_IN_EVERY_SCRIPT.thai,
          },
        ],
        generatedAt: at,
      } as never,
      TIME_ZONE,
    );
    const attestationLines = (await extractPdfText(attestation)).pages.join('\n').split('\n');
    expect(attestationLines).toEqual(
      expect.arrayContaining([
        NAMES_IN_EVERY_SCRIPT.khmer,
        `${NAMES_IN_EVERY_SCRIPT.nepali}, ${NAMES_IN_EVERY_SCRIPT.burmese}`,
        `1. ${NAMES_IN_EVERY_SCRIPT.emoji}`,
        `2. ${NAMES_IN_EVERY_SCRIPT.hebrew}`,
      ]),
    );
    const pages = (await extractPdfText(certified)).pages;
    const addedLines = pages.slice(-2).join('\n').split('\n');
    expect(addedLines).toEqual(
      expect.arrayContaining([
        `${NAMES_IN_EVERY_SCRIPT.korean}, ${NAMES_IN_EVERY_SCRIPT.arabic}`,
        NAMES_IN_EVERY_SCRIPT.lao,
        NAMES_IN_EVERY_SCRIPT.thai,
      ]),
    );
    const certifiedFile = path.join(outputDir, 'executed-every-script.pdf');
    writeFileSync(certifiedFile, certified);
    const popplerLines = pdftotext(certifiedFile)
      .split('\n')
      .map((line) => line.trim());
    expect(popplerLines).toEqual(expect.arrayContaining([NAMES_IN_EVERY_SCRIPT.lao, NAMES_IN_EVERY_SCRIPT.thai]));
  }, 30_000);
});

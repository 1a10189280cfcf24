// The partner signs in a real browser: Debian's Chromium driven by playwright-core, against the real worker,
// SMTP server and signing pages. The link is the one in the real request email.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../activities/storage/document-store';
import { getContractStatus, startContract } from '../../client/contracts';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { pressButton, recordPosts, SCREENSHOT_DIR, useChromium, waitForPdfViewer } from '../helpers/browser';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {} });
const chromium = useChromium();

const ORGANIZATION = 'Hội Người Việt Tutoring';
const SIGNER = 'Lan Nguyễn';
const PROGRAM = 'Câu lạc bộ đọc sách (reading circles)';

const stage = async (contractId: string) => (await getContractStatus(pipeline.context, contractId)).stage;

test('the partner opens the emailed link in Chromium, is stopped without consent, then signs', async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  const partnerEmail = `lan@${partnerId}.example`;
  await readyPartner(pipeline.context, partnerId); // "Hội Người Việt Tutoring", represented by Lan Nguyễn
  await startContract(pipeline.context, contractRequest(contractId, partnerId, { programName: PROGRAM }));

  const mail = await pipeline.catcher.waitFor(
    (m: TCaughtMail) => m.envelopeTo.includes(partnerEmail) && (m.parsed.subject ?? '').includes('(request #1)'),
  );
  const link = /(http:\/\/127\.0\.0\.1:\d+\/sign\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new Error(`No signing link in "${mail.parsed.subject}"`);
  expect(link.startsWith(`${pipeline.baseUrl}/sign/`)).toBe(true);

  const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
  });
  const posts = recordPosts(page);

  try {
    // Look at the page.
    const iframePdf = page.waitForResponse((response) => response.url() === `${link}/document.pdf`);
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(
      await page.locator('html').evaluate((html: { ownerDocument: { characterSet: string } }) => html.ownerDocument.characterSet),
    ).toBe('UTF-8');
    expect(await page.title()).toBe(`Sign the contract for ${PROGRAM}`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the contract for ${PROGRAM}`);
    const fact = (term: string) =>
      page
        .locator('dt', { hasText: new RegExp(`^${term}$`) })
        .locator('xpath=following-sibling::dd[1]')
        .innerText();
    expect(await fact('Partner')).toBe(ORGANIZATION);
    expect(await fact('Program')).toBe(PROGRAM);
    expect(await fact('Schools')).toBe('Anwatin Middle; Folwell Middle');
    expect(await fact('Request')).toBe('#1');
    expect(await page.locator('p.muted').innerText()).toBe(`Contract ${contractId} · for ${SIGNER} <${partnerEmail}>`);
    const { documents } = await getContractStatus(pipeline.context, contractId);
    expect(await fact('Document SHA-256')).toBe(documents.contract!.sha256);
    expect(await page.getByRole('link', { name: 'Open the contract (PDF)' }).getAttribute('href')).toBe(
      `${new URL(link).pathname}/document.pdf`,
    );
    expect(await page.locator('p[data-sealed-by]').innerText()).toBe(
      `The final signed contract is digitally signed by ${pipeline.signingCredential.subject}: any PDF reader can check that it has not been changed since.`,
    );
    // The embedded PDF is the document on record, and Chromium's viewer shows it.
    const pdf = await iframePdf;
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    // (The response body Playwright sees is Chromium's viewer wrapper, so fetch the bytes again from the page.)
    const bytesInPage = await page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), pdf.url());
    expect(sha256Hex(Uint8Array.from(bytesInPage))).toBe(documents.contract!.sha256);
    if (!(await waitForPdfViewer(page)))
      console.warn("Chromium's PDF viewer did not show the contract in time; the screenshot may show it blank.");

    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'signing-page.png'), fullPage: true });

    // Name and title typed, consent not ticked: the browser refuses to submit (the box is `required`).
    const consent = page.getByLabel('I agree to sign this contract electronically');
    const name = page.getByLabel('Full name');
    const title = page.getByLabel('Title', { exact: true });
    const submit = page.getByRole('button', { name: 'Sign the contract' });
    await name.pressSequentially(SIGNER);
    await title.pressSequentially('Executive Director');
    await pressButton(submit);
    expect(await consent.evaluate((box: { validity: { valueMissing: boolean } }) => box.validity.valueMissing)).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the contract for ${PROGRAM}`);
    expect(posts).toEqual([]);
    expect(await stage(contractId)).toBe('awaiting_partner_signature');
    expect((await getContractStatus(pipeline.context, contractId)).signatures).toEqual([]);

    // Tick the box and sign.
    await consent.check();
    expect(await name.inputValue()).toBe(SIGNER);
    const answered = page.waitForResponse((response) => response.url() === link && response.request().method() === 'POST');
    await pressButton(submit);
    expect((await answered).status()).toBe(200);
    await page.getByRole('heading', { name: 'Signed', level: 1 }).waitFor();
    expect(await page.locator('p.notice').innerText()).toBe(
      `Thank you, ${SIGNER}. Your signature is recorded. You will receive the final signed contract by email. The final signed contract is digitally signed by ${pipeline.signingCredential.subject}: any PDF reader can check that it has not been changed since.`,
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'signing-confirmation.png'), fullPage: true });
    expect(posts).toEqual([link]);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }

  // The signature is recorded by the update itself; the request to the district follows in the workflow.
  await eventually(async () => (await stage(contractId)) === 'awaiting_district_signature');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.signatures).toHaveLength(1);
  const [signature] = status.signatures;
  expect(signature).toMatchObject({
    role: 'partner',
    method: 'link',
    name: SIGNER,
    title: 'Executive Director',
    email: partnerEmail,
    requestNumber: 1,
    ipAddress: '127.0.0.1',
    documentSha256: status.documents.contract!.sha256,
  });
  expect(signature!.userAgent).toMatch(/Chrome\/\d+/);
  expect(status.signingEvents.filter((e) => e.role === 'partner').map((e) => e.type)).toEqual(['sent', 'viewed', 'signed']);
});

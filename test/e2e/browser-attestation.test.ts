// The representative signs the attestation in a real browser (Debian's Chromium through playwright-core), from the
// link in the real request email, and the contract waiting for it moves to the partner's signature.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { getContractStatus, startContract } from '../../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, startPartnerReview } from '../../client/partners';
import { pressButton, recordPosts, SCREENSHOT_DIR, useChromium, waitForPdfViewer } from '../helpers/browser';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {} });
const chromium = useChromium();
const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };

test('the representative opens the emailed attestation link in Chromium, is stopped without consent, then signs; the contract moves', async () => {
  const partnerId = uniqueId('partner');
  const email = `lan@${partnerId}.example`;
  await applyPartner(pipeline.context, partnerApplication(partnerId));
  await startPartnerReview(pipeline.context, partnerId, { reviewer });
  await certifyPartner(pipeline.context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
  const contractId = uniqueId('contract');
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  const mail = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Safety protocol attestation/.test(m.parsed.subject ?? ''),
  );
  const link = /(http:\/\/127\.0\.0\.1:\d+\/attest\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new Error(`No attestation link in "${mail.parsed.subject}"`);
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_prerequisites');

  const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const posts = recordPosts(page);
  try {
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['referrer-policy']).toBe('no-referrer');
    const title = pipeline.context.policy.attestation.title;
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the ${title}`);
    expect(await page.locator('ol li').allInnerTexts()).toEqual(pipeline.context.policy.attestation.statements);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await waitForPdfViewer(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'attestation-1-page.png'), fullPage: true });

    // Without consent the browser itself stops the form (the checkbox is required): nothing is posted.
    await page.getByLabel('Full name').fill('Lan Nguyễn');
    await page.getByLabel('Title').fill('Executive Director');
    await pressButton(page.getByRole('button', { name: 'Sign the attestation' }));
    expect(
      await page
        .locator('input[name=consent]')
        .evaluate((box) => (box as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect(posts).toEqual([]);
    expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toEqual([]);

    await page.locator('input[name=consent]').check();
    await Promise.all([page.waitForURL(link), pressButton(page.getByRole('button', { name: 'Sign the attestation' }))]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Signed');
    expect(posts).toEqual([link]);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'attestation-2-signed.png'), fullPage: true });
    await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
    const [signed] = (await getPartnerStatus(pipeline.context, partnerId)).attestations;
    expect(signed?.signedBy).toEqual({ name: 'Lan Nguyễn', title: 'Executive Director', email });
    expect(signed?.userAgent).toMatch(/Chrome/);
    expect(pageErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

// A new partner applies in a real browser (Debian's Chromium through playwright-core, scripts off: the pages need
// none), confirms through the link in the email the real SMTP server caught, sees its own page, and sees the
// office's certification there. Screenshots in test-output/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { certifyPartner, startPartnerReview } from '../../client/partners';
import { SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { ALL_CRITERIA_MET } from '../helpers/fixtures';
import { linkIn, mailTo } from '../helpers/online-application';
import { useRealPipeline } from '../helpers/real-pipeline';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {}, partnerFront: true });
const chromium = useChromium();
const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };

test('a new partner applies on /apply, confirms its address from the email, sees its page; the office certifies', async () => {
  const tag = uniqueId('x').slice(2);
  const organization = `Ballet Folklórico Quetzalli ${tag}`;
  const email = `rosa@${tag}.example`;
  const partnerId = `ballet-folklorico-quetzalli-${tag}`;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const shot = (page: import('playwright-core').Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOT_DIR, `partner-front-${name}.png`), fullPage: true });

  const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 500) failures.push(`${response.status()} ${response.url()}`);
  });

  await page.goto(`${pipeline.baseUrl}/apply`);
  await page.getByLabel('Organization name').fill(organization);
  await page.getByLabel('Representative’s full name').fill('Rosa Martínez');
  await page.getByRole('button', { name: 'Send my application' }).click();
  // Sent with most fields empty: the same form again, each problem beside its field, what was typed kept.
  await page.locator('#representative-email-error').waitFor();
  expect(await page.getByLabel('Organization name').inputValue()).toBe(organization);
  expect(await page.locator('#criteriaAffirmed-error').textContent()).toContain('must affirm every criterion');
  await shot(page, '1-apply-errors');

  await page.getByLabel('Representative’s title').fill('Artistic Director');
  await page.getByLabel('Representative’s email').fill(email);
  await page.getByLabel('Representative’s phone').fill('612-555-0199');
  await page.getByLabel('Schools or areas of interest').fill('Southside middle schools, after school');
  await page
    .getByLabel('Short description of the program')
    .fill('Mexican folk dance classes twice a week, ending in a spring performance.');
  await page.getByLabel('Arts').check();
  for (const box of await page.locator('input[name="criteriaAffirmed"]').all()) await box.check();
  await shot(page, '2-apply-filled');
  await page.getByRole('button', { name: 'Send my application' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await shot(page, '3-check-your-email');

  const confirmation = await pipeline.catcher.waitFor(mailTo(email, `Confirm the application of ${organization}`));
  await page.goto(linkIn(confirmation, '/apply/confirm/'));
  await page.getByRole('heading', { name: 'Confirm your application' }).waitFor();
  await shot(page, '4-confirm');
  await page.getByRole('button', { name: 'Confirm the application' }).click();
  await page.getByRole('heading', { name: 'Application confirmed' }).waitFor();
  await shot(page, '5-confirmed');

  const received = await pipeline.catcher.waitFor(mailTo(email, `Application received: ${organization}`));
  const statusLink = linkIn(received, '/partner/');
  await page.goto(statusLink);
  expect(await page.locator('#partner-stage').textContent()).toBe('Applied');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(organization);
  await shot(page, '6-status-applied');

  await startPartnerReview(pipeline.context, partnerId, { reviewer });
  await certifyPartner(pipeline.context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
  await page.goto(statusLink);
  expect(await page.locator('#partner-stage').textContent()).toBe('Certified');
  expect(await page.content()).toContain('safety protocol attestation for');
  await shot(page, '7-status-certified');
  expect(failures).toEqual([]);
  await context.close();
});

// Issue 13's journey in a real browser (Debian's Chromium through playwright-core, scripts off: no page needs them),
// against the real worker, Temporal server, HTTP server and SMTP server: a new partner applies and confirms its
// address from the email, the office certifies on the dashboard, a contract exchanging student data waits for the
// attestation and the data-sharing agreement, and the representative signs the one and affirms the other from the
// links on the partner's own page; the contract moves to the partner's signature only after the last of them.
// Screenshots in test-output/partner-journey-*.png.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { getContractStatus, startContract } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import { STAGE_LABELS } from '../../domain/labels';
import { pressButton, SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { contractRequest } from '../helpers/fixtures';
import { linkIn, mailTo } from '../helpers/online-application';
import { useRealPipeline } from '../helpers/real-pipeline';
import { roleStaffAuth, ROLE_STAFF } from '../helpers/role-staff';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: roleStaffAuth() }, partnerFront: true });
const chromium = useChromium();

/** A browser of its own (scripts off) that records every server error it is answered. */
async function openBrowser(failures: string[]): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US', javaScriptEnabled: false });
  const page = await context.newPage();
  page.on('response', (response) => {
    if (response.status() >= 500) failures.push(`${response.status()} ${response.url()}`);
  });
  return { context, page };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `partner-journey-${name}.png`), fullPage: true });

test('a new partner applies, confirms, is certified on the dashboard, signs the attestation and affirms the data-sharing agreement from its page, and its waiting contract moves to its signature', async () => {
  const tag = uniqueId('x').slice(2);
  const organization = `Cedar Riverside Chess ${tag}`;
  const partnerId = `cedar-riverside-chess-${tag}`;
  const email = `hodan@${tag}.example`;
  const programName = `Chess club ${tag}`;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const failures: string[] = [];
  const partner = await openBrowser(failures);
  const office = await openBrowser(failures);
  try {
    // The partner applies on /apply and confirms its address from the email.
    const { page } = partner;
    await page.goto(`${pipeline.baseUrl}/apply`);
    await page.getByLabel('Organization name').fill(organization);
    await page.getByLabel('Representative’s full name').fill('Hodan Abdi');
    await page.getByLabel('Representative’s title').fill('Program Director');
    await page.getByLabel('Representative’s email').fill(email);
    await page.getByLabel('Representative’s phone').fill('612-555-0123');
    await page.getByLabel('Schools or areas of interest').fill('Anwatin Middle, after school');
    await page.getByLabel('Short description of the program').fill('A weekly chess club with tournaments against other schools.');
    await page.getByLabel('Enrichment').check();
    for (const box of await page.locator('input[name="criteriaAffirmed"]').all()) await box.check();
    await shot(page, '1-apply');
    await page.getByRole('button', { name: 'Send my application' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const confirmation = await pipeline.catcher.waitFor(mailTo(email, `Confirm the application of ${organization}`));
    await page.goto(linkIn(confirmation, '/apply/confirm/'));
    await page.getByRole('button', { name: 'Confirm the application' }).click();
    await page.getByRole('heading', { name: 'Application confirmed' }).waitFor();
    await shot(page, '2-confirmed');
    await pipeline.catcher.waitFor(mailTo(email, `Application received: ${organization}`));

    // The office reviews and certifies on the dashboard, signed in as a cpo user.
    const staff = office.page;
    await staff.goto(`${pipeline.baseUrl}/dashboard/login`);
    await staff.getByLabel('Username').fill(ROLE_STAFF.office.username);
    await staff.getByLabel('Password').fill(ROLE_STAFF.office.password);
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.waitForURL((url) => url.pathname === '/dashboard');
    await staff.goto(`${pipeline.baseUrl}/dashboard/partners/${partnerId}`);
    await staff.getByRole('button', { name: 'Start the review' }).click();
    await staff.getByRole('button', { name: 'Certify', exact: true }).waitFor();
    for (const box of await staff.locator('input[type=checkbox][name="checklist"]').all()) await box.check();
    await shot(staff, '3-office-certifies');
    await staff.getByRole('button', { name: 'Certify', exact: true }).click();
    await staff.getByText('The partner is certified.').waitFor();
    await eventually(async () => (await getPartnerStatus(pipeline.context, partnerId)).stage === 'certified');
    await shot(staff, '4-office-certified');

    // A contract for the partner exchanging student data waits for the attestation and the data-sharing agreement.
    const contractId = uniqueId('contract');
    const signer = { name: 'Hodan Abdi', email, title: 'Program Director' };
    await startContract(
      pipeline.context,
      contractRequest(contractId, partnerId, { programName, partnerSigner: signer, exchangesStudentData: true }),
    );
    await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_prerequisites');
    await pipeline.catcher.waitFor((m) => m.envelopeTo.includes(email) && /Data-sharing/.test(m.parsed.subject ?? ''));
    await eventually(async () => (await getPartnerStatus(pipeline.context, partnerId)).recordRequests?.length === 1);

    // The representative opens the partner page from the attestation email and follows the page's link to sign.
    const request = await pipeline.catcher.waitFor(
      (m) => m.envelopeTo.includes(email) && /Safety protocol attestation/.test(m.parsed.subject ?? ''),
    );
    const statusLink = linkIn(request, '/partner/');
    await page.goto(statusLink);
    expect(await page.locator('#partner-stage').textContent()).toBe(STAGE_LABELS.certified);
    expect(await page.locator('tr', { hasText: programName }).innerText()).toContain(STAGE_LABELS.awaiting_prerequisites);
    await shot(page, '5-status-waiting');
    await page.getByRole('link', { name: 'sign online' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/attest/'));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the ${pipeline.context.policy.attestation.title}`);
    await page.getByLabel('Full name').fill('Hodan Abdi');
    await page.getByLabel('Title').fill('Program Director');
    await page.locator('input[name=consent]').check();
    await shot(page, '6-attestation');
    await pressButton(page.getByRole('button', { name: 'Sign the attestation' }));
    await page.getByRole('heading', { name: 'Signed', level: 1 }).waitFor();
    await shot(page, '7-signed');

    // The contract still waits for the data-sharing agreement, which the page links to as well.
    await page.goto(statusLink);
    expect(await page.getByRole('link', { name: 'sign online' }).count()).toBe(0);
    expect(await page.locator('#on-file').innerText()).toMatch(/^Safety protocol attestation for \d{4}-\d{4}: signed by Hodan Abdi/);
    // Once the contract has heard of the attestation, it waits for the data-sharing agreement alone.
    const waiting = await eventually(async () => {
      const status = await getContractStatus(pipeline.context, contractId);
      return status.waitingFor.length === 1 && status;
    });
    expect([waiting.stage, waiting.waitingFor[0]]).toEqual(['awaiting_prerequisites', expect.stringMatching(/data-sharing|data_sharing/i)]);
    await page.getByRole('link', { name: 'affirm online' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/affirm/'));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Affirm the data-sharing (FERPA) agreement');
    await page.getByLabel('Full name').fill('Hodan Abdi');
    await page.getByLabel('Title').fill('Program Director');
    await page.locator('input[name=consent]').check();
    await shot(page, '8-affirmation');
    await page.getByRole('button', { name: 'Affirm' }).click();
    await page.getByRole('heading', { name: 'Affirmed', level: 1 }).waitFor();
    await shot(page, '9-affirmed');

    // The waiting contract moves to the partner's signature, and the partner's page shows it.
    await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
    const [signed] = (await getPartnerStatus(pipeline.context, partnerId)).attestations;
    expect(signed?.signedBy).toEqual({ name: 'Hodan Abdi', title: 'Program Director', email });
    await page.goto(statusLink);
    expect(await page.locator('tr', { hasText: programName }).innerText()).toContain(STAGE_LABELS.awaiting_partner_signature);
    expect(await page.getByRole('link', { name: /(sign|affirm) online/ }).count()).toBe(0);
    expect(await page.locator('#on-file').innerText()).toContain('Data-sharing (FERPA) agreement: affirmed by Hodan Abdi');
    await shot(page, '10-status-to-sign');
    expect(failures).toEqual([]);
  } finally {
    await partner.context.close();
    await office.context.close();
  }
});

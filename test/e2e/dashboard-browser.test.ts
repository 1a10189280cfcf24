// CPO staff use the dashboard in a real browser (Debian's Chromium via playwright-core) against the real worker,
// Temporal server and HTTP server: sign in, filter, open a contract, countersign, and watch the stage change
// on the page without reloading it.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../../activities/storage/document-store';
import { applyPartner } from '../../client/partners';
import { getContractStatus, startContract } from '../../client/contracts';
import { SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { contractRequest, partnerApplication, readyPartner, signAsPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { STAFF, testStaffAuth } from '../helpers/staff';
import { eventually, uniqueId, useTemporalTestEnvironment, withSchools } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: testStaffAuth() } });
const chromium = useChromium();

/** A contract the partner has signed, waiting for the CPO office's countersignature, and one waiting on its partner. */
async function contractsAtOneSchool(school: string) {
  const ready = uniqueId('partner');
  const applied = uniqueId('partner');
  const countersign = uniqueId('contract');
  const waiting = uniqueId('contract');
  await readyPartner(pipeline.context, ready);
  await applyPartner(pipeline.context, partnerApplication(applied, { organizationName: 'Northside Youth Arts' }));
  const atSchool = { ...pipeline.context, policy: withSchools(pipeline.context.policy, [school]) };
  await startContract(
    atSchool,
    contractRequest(countersign, ready, { programName: 'Câu lạc bộ đọc sách', schools: [school], services: ['literacy_tutoring'] }),
  );
  await startContract(
    atSchool,
    contractRequest(waiting, applied, { programName: 'Mural workshop', schools: [school], services: ['arts'] }),
  );
  await signAsPartner(pipeline.context, countersign, ready);
  return { countersign, waiting };
}

test('staff sign in, filter, open a contract, countersign, and see the stage change live', async () => {
  const school = `Folwell ${uniqueId('school')}`;
  const { countersign, waiting } = await contractsAtOneSchool(school);
  const context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  try {
    // Not signed in: sent to the sign-in page, and back where they were going after signing in.
    await page.goto(`${pipeline.baseUrl}/dashboard/contracts?school=${encodeURIComponent(school)}`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.getByLabel('Username').fill(STAFF.director.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.locator('.notice.error'), 'The username or password is not right.');
    await page.getByLabel('Username').fill(STAFF.director.username);
    await page.getByLabel('Password').fill(STAFF.director.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'All contracts' }).waitFor();
    pageErrors.length = 0; // the refused sign-in answered 401, as it should
    expect(new URL(page.url()).searchParams.get('school')).toBe(school);
    await eventually(async () => (await page.reload(), (await page.locator('tbody tr').count()) === 2));
    expect((await page.locator('tbody tr td:first-child a').allInnerTexts()).sort()).toEqual(['Câu lạc bộ đọc sách', 'Mural workshop']);

    // Filter by stage with the form.
    await page.getByLabel('Stage').selectOption('awaiting_district_signature');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/stage=awaiting_district_signature/);
    expect(await page.locator('tbody tr td:first-child a').allInnerTexts()).toEqual(['Câu lạc bộ đọc sách']);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-contracts.png'), fullPage: true });

    // Open it: facts, timeline from the workflow query, the document, the actions.
    await page.getByRole('link', { name: 'Câu lạc bộ đọc sách' }).click();
    await page.getByRole('heading', { level: 1, name: /Câu lạc bộ đọc sách/ }).waitFor();
    expect(await page.locator('h1 .badge').innerText()).toBe('Awaiting countersignature');
    expect(await page.locator('[data-blocked]').innerText()).toMatch(/district has not countersigned/);
    expect(await page.locator('ol.timeline li[data-event="signed"]').count()).toBe(1);
    const documentHref = await page.locator('a[data-document="contract"]').getAttribute('href');
    const pdf = await page.request.get(`${pipeline.baseUrl}${documentHref}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(sha256Hex(await pdf.body())).toBe((await getContractStatus(pipeline.context, countersign)).documents.contract!.sha256);

    // Countersign: the consent box is required, then the stage moves on while the page stays open.
    await page.getByRole('button', { name: 'Countersign' }).click();
    expect(
      await page
        .getByLabel(/I agree to sign electronically/)
        .evaluate((box) => (box as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    await page.getByLabel(/I agree to sign electronically/).check();
    await page.getByRole('button', { name: 'Countersign' }).click();
    await expectText(page.locator('.notice.ok').first(), /^Countersigned\./);
    await page.evaluate(() => ((globalThis as unknown as { stillThisPage: boolean }).stillThisPage = true));
    // The go-live date has passed, so the workflow goes on to executed and live; the live script shows it.
    await page.locator('h1 .badge', { hasText: 'Live' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    await page.locator('a[data-document="executed"]').waitFor();
    // The download says it is digitally signed, and by whom.
    expect(
      await page
        .locator('li', { has: page.locator('a[data-document="executed"]') })
        .locator('[data-signed-by]')
        .innerText(),
    ).toBe(`digitally signed by ${pipeline.signingCredential.subject}`);
    expect(await page.locator('.notice.ok', { hasText: 'The program may start.' }).count()).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-contract.png'), fullPage: true });
    const status = await getContractStatus(pipeline.context, countersign);
    expect(status.signatures.map((s) => [s.role, s.method, s.email])).toEqual([
      ['partner', 'cli', expect.stringMatching(/^lan@/)],
      ['district', 'dashboard', STAFF.director.email],
    ]);

    // The board for the school, and the directory's chart for it.
    await page.goto(`${pipeline.baseUrl}/dashboard?school=${encodeURIComponent(school)}`);
    await eventually(
      async () => (
        await page.reload(),
        (await page.locator('[data-board="contracts"] .tile', { hasText: 'Live' }).locator('.count').innerText()) === '1'
      ),
    );
    expect(await page.locator('[data-board="contracts"] .tile', { hasText: 'Awaiting prerequisites' }).locator('.count').innerText()).toBe(
      '1',
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-board.png'), fullPage: true });
    await page.goto(`${pipeline.baseUrl}/dashboard/directory/schools/${encodeURIComponent(school)}`);
    expect(await page.locator(`svg.chart g.school[data-school="${school}"] rect`).count()).toBe(2); // literacy + arts
    expect(await page.locator('table a[href^="/dashboard/contracts/"]').allInnerTexts()).toEqual(
      expect.arrayContaining(['Câu lạc bộ đọc sách', 'Mural workshop']),
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'dashboard-school.png'), fullPage: true });
    expect(pageErrors).toEqual([]);

    // Signed out: the pages are closed again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${pipeline.baseUrl}/dashboard/contracts/${waiting}`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
  } finally {
    await context.close();
  }
});

async function expectText(locator: import('playwright-core').Locator, expected: string | RegExp): Promise<void> {
  await locator.waitFor();
  const text = await locator.innerText();
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}

// District staff act in their role in a real browser (Debian's Chromium via playwright-core) against the real
// worker, Temporal server and HTTP server: a department starts a contract it pays for through the New contract
// form, and once the signatures are in, the principal sees the program may start and records the start.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { getContractStatus } from '../../client/contracts';
import { SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { driveToLive, roleStaffAuth, ROLE_STAFF, type TRoleAccount } from '../helpers/role-staff';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: roleStaffAuth() } });
const chromium = useChromium();

async function signedIn(who: TRoleAccount): Promise<{ page: Page; errors: string[] }> {
  const context = await chromium.browser.newContext({
    viewport: { width: 1280, height: 1000 },
    locale: 'en-US',
    javaScriptEnabled: who !== 'academics',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${pipeline.baseUrl}/dashboard/login`);
  await page.getByLabel('Username').fill(ROLE_STAFF[who].username);
  await page.getByLabel('Password').fill(ROLE_STAFF[who].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/dashboard');
  return { page, errors };
}

test('a department starts a contract it pays for through the form (no scripts), and the principal sees whether the program may start and records it once live', async () => {
  const partnerId = uniqueId('partner');
  const programName = `Robotics club ${uniqueId('p')}`;
  await readyPartner(pipeline.context, partnerId, { organizationName: 'Phillips Youth Robotics' });
  await mkdir(SCREENSHOT_DIR, { recursive: true });

  // The department, with scripts off: the form and its multi-select work without them.
  const department = await signedIn('academics');
  await department.page.getByRole('link', { name: 'New contract' }).click();
  // Its account initiates one route of the policy only.
  expect(await department.page.locator('ul.routes a').allInnerTexts()).toEqual(['Department-paid contract']);
  await department.page.getByRole('link', { name: 'Department-paid contract' }).click();
  await department.page.getByLabel('Partner', { exact: true }).selectOption(partnerId);
  await department.page.getByLabel('Program name').fill(programName);
  await department.page.getByLabel('Arts', { exact: true }).check();
  await department.page.getByLabel('Anwatin Middle').check();
  await department.page.getByLabel('Sanford Middle').check();
  await department.page.getByLabel('Amount', { exact: true }).fill('0');
  expect(await department.page.getByLabel('Paying department or school').locator('option').allInnerTexts()).toEqual([
    'Office of Academics',
  ]);
  await department.page.getByRole('button', { name: 'Start the contract' }).click();
  // $0 is refused on this route: the reason stands beside the amount, and what was typed is kept.
  await department.page.locator('#e-amount').waitFor();
  expect(await department.page.locator('#e-amount').innerText()).toBe('must be more than 0 on the department_paid route');
  expect(await department.page.getByLabel('Program name').inputValue()).toBe(programName);
  expect(await department.page.getByLabel('Sanford Middle').isChecked()).toBe(true);
  await department.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'new-contract-error.png'), fullPage: true });
  department.errors.length = 0; // the refused form answered 400, as it should
  await department.page.getByLabel('Amount', { exact: true }).fill('1250.50');
  await department.page.getByRole('button', { name: 'Start the contract' }).click();
  await department.page.waitForURL((url) => url.pathname.startsWith('/dashboard/contracts/'));
  await department.page.getByRole('heading', { name: programName }).waitFor();
  await department.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'new-contract-started.png'), fullPage: true });
  const contractId = decodeURIComponent(new URL(department.page.url()).pathname.split('/').pop()!);
  expect(await getContractStatus(pipeline.context, contractId)).toMatchObject({
    request: {
      programName,
      amountCents: 125_050,
      schools: ['Anwatin Middle', 'Sanford Middle'],
      payingDepartment: { name: 'Office of Academics', approverEmail: ROLE_STAFF.academics.email },
      initiatedBy: { email: ROLE_STAFF.academics.email },
    },
  });

  // The principal of Anwatin Middle: the program may not start yet, and the page says why.
  const principal = await signedIn('principal');
  await principal.page.getByRole('link', { name: 'Program starts' }).click();
  await principal.page.getByRole('link', { name: 'Anwatin Middle' }).click();
  const row = principal.page.locator('tr', { has: principal.page.locator(`[data-contract="${contractId}"]`) });
  // The school's list is searched (eventually consistent, slow on a loaded machine): the new contract may be listed a moment later.
  await eventually(async () => (await principal.page.reload(), (await row.count()) === 1), 60_000);
  expect(await row.locator('[data-may-start]').innerText()).toMatch(/^No: the final signed contract has not been received/);

  // The partner signs and the department countersigns (client functions), and the contract goes live.
  await driveToLive(pipeline.context, contractId, partnerId);
  await eventually(
    async () => (await principal.page.reload(), (await row.locator('[data-may-start]').getAttribute('data-may-start')) === 'yes'),
  );
  expect(await row.locator('[data-may-start]').innerText()).toBe('Yes, it may start');
  await principal.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'program-may-start.png'), fullPage: true });
  await row.getByRole('button', { name: 'Record the start' }).click();
  await principal.page.locator('.notice.ok', { hasText: 'The program start is recorded.' }).waitFor();
  expect(await row.locator('[data-may-start]').innerText()).toMatch(new RegExp(`^Started ${ROLE_STAFF.principal.name}, `));
  expect(await row.getByRole('button', { name: 'Record the start' }).count()).toBe(0);
  await principal.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'program-started.png'), fullPage: true });
  expect((await getContractStatus(pipeline.context, contractId)).programStarts).toMatchObject([
    { school: 'Anwatin Middle', by: ROLE_STAFF.principal.name },
  ]);
  expect([...department.errors, ...principal.errors]).toEqual([]);
  await department.page.context().close();
  await principal.page.context().close();
});

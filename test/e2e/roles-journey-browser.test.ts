// Issue 18, end to end in a real browser (Debian's Chromium via playwright-core) against the real worker, Temporal
// server, SMTP server and HTTP server: a department starts a contract it pays for through the New contract form,
// the office approves it from the emailed link, the partner signs from the emailed link, the office countersigns on
// the dashboard, and the principal sees the program may start and records it.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { getContractStatus } from '../../client/contracts';
import type { TPolicy } from '../../domain/policy';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { approvalPolicy, approvingOffice } from '../helpers/approval-policy';
import { pressButton, SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { readyPartner } from '../helpers/fixtures';
import { signatureRequestTo, useRealPipeline } from '../helpers/real-pipeline';
import { roleStaffAuth, ROLE_STAFF, type TRoleAccount } from '../helpers/role-staff';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

/** Department-paid contracts: the office approves them (not the initiating department) and countersigns them. */
function officeApprovesAndSigns(): TPolicy {
  const policy = approvalPolicy();
  return { ...policy, routes: { ...policy.routes, department_paid: { ...policy.routes.department_paid!, districtSigner: 'cpo_office' } } };
}

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: roleStaffAuth() }, policy: officeApprovesAndSigns() });
const chromium = useChromium();

/** A fresh browser profile that records every script error and every refused request. */
async function openBrowser(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return { page, problems };
}

async function signedIn(who: TRoleAccount): Promise<{ page: Page; problems: string[] }> {
  const opened = await openBrowser(chromium.browser);
  await opened.page.goto(`${pipeline.baseUrl}/dashboard/login`);
  await opened.page.getByLabel('Username').fill(ROLE_STAFF[who].username);
  await opened.page.getByLabel('Password').fill(ROLE_STAFF[who].password);
  await opened.page.getByRole('button', { name: 'Sign in' }).click();
  await opened.page.waitForURL((url) => url.pathname === '/dashboard');
  return opened;
}

const linkIn = (mail: TCaughtMail, kind: 'approve' | 'sign'): string => {
  const link = new RegExp(`(http://127\\.0\\.0\\.1:\\d+/${kind}/[A-Za-z0-9_.-]+)`).exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new Error(`No /${kind}/ link in "${mail.parsed.subject}"`);
  return link;
};
const shot = (page: Page, step: string) =>
  page.screenshot({ path: path.join(SCREENSHOT_DIR, `roles-journey-${step}.png`), fullPage: true });
const stageOf = async (contractId: string) => (await getContractStatus(pipeline.context, contractId)).stage;

test('department starts, office approves by link, partner signs by link, office countersigns, principal records the program start', async () => {
  const partnerId = uniqueId('partner');
  const partnerEmail = `lan@${partnerId}.example`;
  const programName = `Robotics club ${uniqueId('p')}`;
  await readyPartner(pipeline.context, partnerId, { organizationName: 'Phillips Youth Robotics' });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  try {
    await journey(partnerId, partnerEmail, programName);
  } finally {
    for (const browser of opened.splice(0)) await browser.page.context().close();
  }
}, 240_000);

/** Each step's browser, closed after the test even when a step fails (open pages hold the server's connections). */
const opened: { page: Page; problems: string[] }[] = [];
async function open(who: TRoleAccount | null): Promise<Page> {
  const browser = who ? await signedIn(who) : await openBrowser(chromium.browser);
  opened.push(browser);
  return browser.page;
}

async function journey(partnerId: string, partnerEmail: string, programName: string): Promise<void> {
  // 1. The Office of Academics starts a contract it pays for through the New contract form.
  const department = await open('academics');
  await department.getByRole('link', { name: 'New contract' }).click();
  await department.getByRole('link', { name: 'Department-paid contract' }).click();
  await department.getByLabel('Partner', { exact: true }).selectOption(partnerId);
  await department.getByLabel('Program name').fill(programName);
  await department.getByLabel('Arts', { exact: true }).check();
  await department.getByLabel('Anwatin Middle').check();
  await department.getByLabel('Amount', { exact: true }).fill('1250.50');
  await shot(department, '1-new-contract');
  await department.getByRole('button', { name: 'Start the contract' }).click();
  await department.waitForURL((url) => url.pathname.startsWith('/dashboard/contracts/'));
  await department.getByRole('heading', { name: programName }).waitFor();
  const contractId = decodeURIComponent(new URL(department.url()).pathname.split('/').pop()!);
  expect(await getContractStatus(pipeline.context, contractId)).toMatchObject({
    stage: 'initiated',
    request: {
      programName,
      amountCents: 125_050,
      schools: ['Anwatin Middle'],
      payingDepartment: { name: 'Office of Academics' },
      initiatedBy: { email: ROLE_STAFF.academics.email },
    },
  });
  // The department is not the approver: its page says who is, with no Approve button.
  expect(await department.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  expect(
    await department
      .locator('p.muted', { hasText: `Approval by ${approvingOffice.email}, who has the emailed request; only they may approve.` })
      .count(),
  ).toBe(1);
  await shot(department, '2-started');

  // 2. The office approves from the link in the approval request email (no sign-in).
  const approvalMail = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(approvingOffice.email) && m.parsed.headers.get('x-cpo-contract') === contractId,
  );
  const approver = await open(null);
  await approver.goto(linkIn(approvalMail, 'approve'));
  expect(await approver.getByRole('heading', { level: 1 }).innerText()).toBe(`Approve the contract for ${programName}`);
  await approver.getByLabel('I approve this contract').check();
  await approver.getByRole('button', { name: 'Approve the contract' }).click();
  await approver.getByRole('heading', { name: 'Approved', level: 1 }).waitFor();
  await shot(approver, '3-approved');
  expect((await getContractStatus(pipeline.context, contractId)).approval).toMatchObject({ approvedBy: approvingOffice.name });

  // 3. The partner signs from the link in the signature request the approval let out.
  const partnerMail = await pipeline.catcher.waitFor(signatureRequestTo(partnerEmail, 1));
  expect(partnerMail.parsed.headers.get('x-cpo-contract')).toBe(contractId);
  const partner = await open(null);
  await partner.goto(linkIn(partnerMail, 'sign'));
  expect(await partner.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the contract for ${programName}`);
  await partner.getByLabel('Full name').fill('Lan Nguyễn');
  await partner.getByLabel('Title', { exact: true }).fill('Executive Director');
  await partner.getByLabel('I agree to sign this contract electronically').check();
  await pressButton(partner.getByRole('button', { name: 'Sign the contract' }));
  await partner.getByRole('heading', { name: 'Signed', level: 1 }).waitFor();
  await shot(partner, '4-partner-signed');
  await eventually(async () => (await stageOf(contractId)) === 'awaiting_district_signature');

  // 4. The principal looks before the countersignature: the program may not start yet, and the page says why.
  const principal = await open('principal');
  await principal.getByRole('link', { name: 'Program starts' }).click();
  await principal.getByRole('link', { name: 'Anwatin Middle' }).click();
  const row = principal.locator('tr', { has: principal.locator(`[data-contract="${contractId}"]`) });
  // The school's list is searched (eventually consistent, slow on a loaded machine): wait for the contract's row.
  await eventually(async () => (await principal.reload(), (await row.count()) === 1), 60_000);
  expect(await row.locator('[data-may-start]').innerText()).toMatch(/^No: /);

  // 5. The office countersigns on the dashboard and watches the contract go live.
  const office = await open('office');
  await office.goto(`${pipeline.baseUrl}/dashboard/contracts/${encodeURIComponent(contractId)}`);
  await office.getByLabel(/I agree to sign electronically/).check();
  await office.getByRole('button', { name: 'Countersign' }).click();
  await office
    .locator('.notice.ok', { hasText: /^Countersigned\./ })
    .first()
    .waitFor();
  await office.locator('h1 .badge', { hasText: 'Live' }).waitFor({ timeout: 30_000 });
  await shot(office, '5-countersigned-live');
  const live = await getContractStatus(pipeline.context, contractId);
  expect(live.signatures.map((s) => [s.role, s.method, s.email])).toEqual([
    ['partner', 'link', partnerEmail],
    ['district', 'dashboard', ROLE_STAFF.office.email],
  ]);

  // 6. The principal sees the program may start, and records it.
  await eventually(
    async () => (await principal.reload(), (await row.locator('[data-may-start]').getAttribute('data-may-start')) === 'yes'),
  );
  expect(await row.locator('[data-may-start]').innerText()).toBe('Yes, it may start');
  await shot(principal, '6-may-start');
  await row.getByRole('button', { name: 'Record the start' }).click();
  await principal.locator('.notice.ok', { hasText: 'The program start is recorded.' }).waitFor();
  expect(await row.locator('[data-may-start]').innerText()).toMatch(new RegExp(`^Started ${ROLE_STAFF.principal.name}, `));
  await shot(principal, '7-started');
  expect((await getContractStatus(pipeline.context, contractId)).programStarts).toMatchObject([
    { school: 'Anwatin Middle', by: ROLE_STAFF.principal.name },
  ]);

  expect(opened.flatMap((browser) => browser.problems)).toEqual([]);
}

// Names in Ge'ez, Arabic and emoji, end to end with real parts: the email a real SMTP server receives (subject
// encoded per RFC 2047, decoded back by mailparser), the contract PDF it carries read back, the signing page, the
// dashboard and the directory in a real browser; and the API refusing a character no font draws, naming the field.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';
import { startContract } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import { SCREENSHOT_DIR, useChromium } from '../helpers/browser';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { basicAuth, STAFF, testStaffAuth } from '../helpers/staff';
import { uniqueId, useTemporalTestEnvironment, withSchools } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: testStaffAuth() } });
const chromium = useChromium();

const ORGANIZATION = 'ማህበረሰብ 🌍 الجمعية';
const PROGRAM = 'የንባብ ክበብ 📚 القراءة';

test("a Ge'ez + emoji + Arabic name reaches the email, the PDF, the signing page, the dashboard and the directory intact", async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  const school = `Anwatin ${uniqueId('school')}`;
  const partnerEmail = `lan@${partnerId}.example`;
  await readyPartner(pipeline.context, partnerId, { organizationName: ORGANIZATION });
  const atSchool = { ...pipeline.context, policy: withSchools(pipeline.context.policy, [school]) };
  await startContract(atSchool, contractRequest(contractId, partnerId, { programName: PROGRAM, schools: [school] }));

  // Email: the real SMTP server got an RFC 2047 encoded subject (only ASCII on the wire) that decodes to the name.
  const mail = await pipeline.catcher.waitFor(
    (m: TCaughtMail) => m.envelopeTo.includes(partnerEmail) && (m.parsed.subject ?? '').includes('(request #1)'),
  );
  const rawSubject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail.raw.toString('latin1'))?.[1] ?? '';
  expect(rawSubject).toMatch(/=\?UTF-8\?[BQ]\?/i);
  expect(/^[\x20-\x7e\r\n\t]*$/.test(rawSubject)).toBe(true);
  expect(mail.parsed.subject).toBe(`Please sign the contract for ${PROGRAM} (request #1)`);
  expect(mail.parsed.text).toContain(PROGRAM);
  expect(mail.parsed.html || '').toContain(PROGRAM);
  const attachment = mail.parsed.attachments.find((file) => file.contentType === 'application/pdf');
  if (!attachment) throw new Error('The signature request carries no contract PDF');
  const lines = (await extractPdfText(attachment.content)).pages.join('\n').split('\n');
  expect(lines).toEqual(expect.arrayContaining([ORGANIZATION, PROGRAM]));
  console.log(`subject on the wire: ${rawSubject}; decoded: ${mail.parsed.subject}`);

  const link = /(http:\/\/127\.0\.0\.1:\d+\/sign\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new Error(`No signing link in "${mail.parsed.subject}"`);
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  try {
    // The signing page the partner opens.
    await page.goto(link);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Sign the contract for ${PROGRAM}`);
    expect(await page.locator('body').innerText()).toContain(ORGANIZATION);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'names-signing-page.png'), fullPage: true });

    // The dashboard: the contract page, then the directory for the school.
    await page.goto(`${pipeline.baseUrl}/dashboard/contracts/${contractId}`);
    await page.getByLabel('Username').fill(STAFF.director.username);
    await page.getByLabel('Password').fill(STAFF.director.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(PROGRAM) }).waitFor();
    expect(await page.locator('body').innerText()).toContain(ORGANIZATION);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'names-dashboard-contract.png'), fullPage: true });
    await page.goto(`${pipeline.baseUrl}/dashboard/directory/schools/${encodeURIComponent(school)}`);
    expect(await page.locator('table a[href^="/dashboard/contracts/"]').allInnerTexts()).toContain(PROGRAM);
    expect(await page.locator('table').first().innerText()).toContain(ORGANIZATION);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'names-directory.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('the API refuses a character no font draws, naming the field and the character, and changes nothing', async () => {
  const partnerId = uniqueId('partner');
  await readyPartner(pipeline.context, partnerId, { organizationName: ORGANIZATION });
  const before = await getPartnerStatus(pipeline.context, partnerId);
  const response = await fetch(`${pipeline.baseUrl}/api/partners/${partnerId}/terminate`, {
    method: 'POST',
    headers: { authorization: basicAuth('director'), 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Closed \ue000 for good' }),
  });
  const body = (await response.json()) as { error: string; problems: { field: string; message: string }[] };
  console.log(response.status, JSON.stringify(body));
  expect(response.status).toBe(400);
  expect(body.problems).toEqual([
    expect.objectContaining({ field: 'reason', message: expect.stringMatching(/^the character "\ue000" \(U\+E000\) cannot be printed/) }),
  ]);
  expect((await getPartnerStatus(pipeline.context, partnerId)).stage).toBe(before.stage);
});

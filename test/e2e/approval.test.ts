// The approver needs no account: the approval request email (real worker, real SMTP) carries a link that opens the
// approval page in a real browser, and a reply address that a real SMTP client answers through the reply listener.
import { PassThrough } from 'node:stream';
import type Mail from 'nodemailer/lib/mailer';
import { getContractStatus, startContract } from '../../client/contracts';
import { contractWorkflowId } from '../../domain/vocabulary';
import { createApprovalToken } from '../../security/approval-token';
import type { ReplyListener } from '../../inbound/create-reply-listener';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { approvalPolicy, approvingOffice } from '../helpers/approval-policy';
import { useChromium } from '../helpers/browser';
import { contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { formBody, httpRequest } from '../helpers/http-client';
import { useRealPipeline } from '../helpers/real-pipeline';
import { createPipelineListener, quotingBelow, sendReplyTo } from '../helpers/reply-listener';
import { eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const logs = new PassThrough();
const logText: string[] = [];
logs.on('data', (chunk: Buffer) => logText.push(chunk.toString()));
const pipeline = useRealPipeline(temporal, { server: { logStream: logs }, policy: approvalPolicy() });
const chromium = useChromium();
let listener: ReplyListener;
let listenerPort: number;
const listenerLog: string[] = [];

beforeAll(async () => {
  listener = createPipelineListener(pipeline, { log: (line) => listenerLog.push(line) });
  listenerPort = await listener.listen(0);
});
afterAll(async () => {
  await listener?.close();
});

const dana = departmentPaid.payingDepartment;
const statusOf = (contractId: string) => getContractStatus(pipeline.context, contractId);

/** A department-paid contract waiting for the office's approval, and the approval request email with its link and Reply-To. */
async function contractAwaitingApproval(programName: string) {
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('approval')];
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId, { ...departmentPaid, programName }));
  const mail = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(approvingOffice.email) && m.parsed.headers.get('x-cpo-contract') === contractId,
  );
  const link = /(http:\/\/127\.0\.0\.1:\d+\/approve\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
  const replyAddress = mail.parsed.replyTo?.value[0]?.address;
  if (!link || !replyAddress) throw new Error(`No approval link or Reply-To in "${mail.parsed.subject}"`);
  return { partnerId, contractId, mail, link, replyAddress, token: link.split('/approve/')[1]! };
}

const sendReply = (message: Mail.Options): Promise<void> => sendReplyTo(listenerPort, message);
const quoting = (mail: TCaughtMail, text: string): string => quotingBelow(mail, text, 'Community Partnerships Office');
const answerTo = (to: string, outcome: string) => (m: TCaughtMail) =>
  m.envelopeTo.includes(to) && m.parsed.headers.get('x-cpo-reply-outcome') === outcome;

test('the approver follows the emailed link in Chromium, sees the contract, cannot approve without ticking the box, then approves', async () => {
  const program = 'Robotics <club> & "makers"';
  const { contractId, mail, link, replyAddress, token } = await contractAwaitingApproval(program);
  expect(mail.parsed.subject).toBe(`Please approve the contract for ${program} (approval request #1)`);
  expect(replyAddress).toBe(`approve+${token}@${pipeline.env.CPO_REPLY_DOMAIN}`);
  expect(mail.parsed.text).toContain('write "I approve" to approve');

  const context = await chromium.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  try {
    const opened = await page.goto(link);
    expect([opened!.status(), opened!.headers()['referrer-policy'], opened!.headers()['cache-control']]).toEqual([
      200,
      'no-referrer',
      'no-store',
    ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Approve the contract for ${program}`);
    const fact = (term: string) =>
      page
        .locator('dt', { hasText: new RegExp(`^${term}$`) })
        .locator('xpath=following-sibling::dd[1]')
        .innerText();
    expect(await fact('Amount')).toBe('$12,500.00');
    expect(await fact('Paying department')).toBe(dana.name);
    expect(await fact('Initiated by')).toBe(`${dana.approverName} <${dana.approverEmail}>`);
    expect(await fact('Approval request')).toBe('#1');
    expect(await fact('Decide by')).toMatch(/C[SD]T$/); // the district's time zone

    // Not ticked: the browser does not submit (the box is required), nothing moves.
    await page.getByRole('button', { name: 'Approve the contract' }).click();
    expect(page.url()).toBe(link);
    expect((await statusOf(contractId)).approval?.approvedBy).toBeNull();

    await page.getByLabel('I approve this contract').check();
    const answered = page.waitForResponse((response) => response.url() === link && response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Approve the contract' }).click();
    expect((await answered).status()).toBe(200);
    await page.getByRole('heading', { name: 'Approved', level: 1 }).waitFor();
  } finally {
    await context.close();
  }
  const status = await eventually(async () => {
    const current = await statusOf(contractId);
    return current.stage !== 'initiated' && current;
  });
  expect(status.approval).toMatchObject({ approvedBy: approvingOffice.name, requestNumber: 1 });
  expect(status.history.find((e) => e.event === 'approved')).toMatchObject({
    actor: `${approvingOffice.name} <${approvingOffice.email}>`,
    detail: 'by link',
  });

  // The link has done its work: opening it again says so (409), and the token never reached the log.
  const again = await httpRequest(pipeline.baseUrl, { path: `/approve/${token}` });
  expect([again.status, again.text]).toEqual([409, expect.stringContaining('already approved by Community Partnerships Office')]);
  expect(logText.join('')).toContain('/approve/[token]');
  expect(logText.join('')).not.toContain(token);
});

test('a send-back on the page needs a reason (kept and shown beside the field), voids the contract, and emails the reason escaped', async () => {
  const { contractId, token } = await contractAwaitingApproval('Chess club');
  const send = (reason: string) =>
    httpRequest(pipeline.baseUrl, {
      method: 'POST',
      path: `/approve/${token}/send-back`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ reason }),
    });

  const short = await send(' <i ');
  expect(short.status).toBe(400);
  expect(short.text).toContain('> &lt;i </textarea>');
  expect(short.text).toMatch(/<p class="notice error" id="reason-error" role="alert">reason: must say why/);
  expect((await statusOf(contractId)).stage).toBe('initiated');

  const reason = 'Budget line <script>alert(1)</script> is for spring & the amount is wrong';
  const sent = await send(reason);
  expect([sent.status, sent.text]).toEqual([200, expect.stringContaining('is sent back and voided')]);
  const status = await eventually(async () => {
    const current = await statusOf(contractId);
    return current.stage === 'voided' && current;
  });
  expect(status.closedReason).toBe(`sent back by ${approvingOffice.name}: ${reason}`);
  const notice = await pipeline.catcher.waitFor(
    (m) => m.parsed.headers.get('x-cpo-notification') === 'approval_sent_back' && m.parsed.headers.get('x-cpo-contract') === contractId,
  );
  expect(notice.envelopeTo).toEqual([dana.approverEmail]);
  expect(notice.parsed.text).toContain(reason);
  expect(notice.parsed.html).toContain('Budget line &lt;script&gt;alert(1)&lt;/script&gt; is for spring &amp; the amount is wrong');
  expect(notice.parsed.html).not.toContain('<script>');
  const late = await httpRequest(pipeline.baseUrl, {
    method: 'POST',
    path: `/approve/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ confirm: 'yes' }),
  });
  expect([late.status, late.text]).toEqual([409, expect.stringContaining('it is voided (sent back by')]);
});

test('replying "I approve" from the approver approves by email reply; an unclear reply is answered and a stranger refused, changing nothing', async () => {
  const { contractId, mail, replyAddress } = await contractAwaitingApproval('Garden club');
  const reply = (from: string, text: string, messageId: string) =>
    sendReply({
      from,
      to: replyAddress,
      subject: `Re: ${mail.parsed.subject}`,
      inReplyTo: mail.parsed.messageId,
      messageId,
      text: quoting(mail, text),
    });

  await expect(reply('someone@elsewhere.example', 'I approve', '<stranger@elsewhere.example>')).rejects.toMatchObject({
    responseCode: 550,
  });
  await reply(approvingOffice.email, 'Looks fine to me, thanks!', '<unclear@mpls.example>');
  const unclear = await pipeline.catcher.waitFor(answerTo(approvingOffice.email, 'unclear'));
  expect(unclear.parsed.text).toContain('did not say whether you approve');
  expect((await statusOf(contractId)).approval?.approvedBy).toBeNull();

  await reply(`Community Partnerships Office <${approvingOffice.email}>`, 'I approve.', '<approve@mpls.example>');
  const confirmation = await pipeline.catcher.waitFor(answerTo(approvingOffice.email, 'approved'));
  expect(confirmation.parsed.subject).toBe(`Approval recorded: contract ${contractId} (request #1)`);
  const status = await eventually(async () => {
    const current = await statusOf(contractId);
    return current.approval?.approvedBy ? current : null;
  });
  expect(status.history.find((e) => e.event === 'approved')).toMatchObject({ detail: 'by email_reply' });
  expect(listenerLog.join('\n')).toContain('approve+[token]@');
  expect(listenerLog.join('\n')).not.toContain(replyAddress);
});

test('replying "I do not approve" with a reason sends the contract back', async () => {
  const { contractId, mail, replyAddress } = await contractAwaitingApproval('Drama club');
  await sendReply({
    from: approvingOffice.email,
    to: replyAddress,
    subject: `Re: ${mail.parsed.subject}`,
    text: quoting(mail, 'I do not approve.\nReason: the partner already has a contract for this program'),
  });
  const status = await eventually(async () => {
    const current = await statusOf(contractId);
    return current.stage === 'voided' && current;
  });
  expect(status.closedReason).toBe(`sent back by ${approvingOffice.name}: the partner already has a contract for this program`);
  await pipeline.catcher.waitFor(answerTo(approvingOffice.email, 'sent_back'));
});

test('when nothing answers for the contract (its worker is down), the page says try again (503) and a reply gets 451', async () => {
  const contractId = uniqueId('no-worker');
  // A contract whose task queue has no worker: queries get no answer, as with the worker down.
  await temporal.env.client.workflow.start('contractWorkflow', {
    workflowId: contractWorkflowId(contractId),
    taskQueue: uniqueTaskQueue('no-worker'),
    args: [{ request: contractRequest(contractId, 'nobody-answers', departmentPaid), policy: approvalPolicy() }],
  });
  const token = createApprovalToken(
    { contractId, email: approvingOffice.email, requestNumber: 1, expiresAt: Math.floor(Date.now() / 1000) + 3600 },
    pipeline.signingSecret,
  );
  const page = await httpRequest(pipeline.baseUrl, { path: `/approve/${token}` });
  expect([page.status, page.headers['retry-after'], page.text]).toEqual([503, '60', expect.stringContaining('Try again in a minute')]);
  const reply = sendReply({
    from: approvingOffice.email,
    to: `approve+${token}@${pipeline.env.CPO_REPLY_DOMAIN}`,
    subject: 'Re: approval',
    text: 'I approve',
  });
  await expect(reply).rejects.toMatchObject({ responseCode: 451 });
  await temporal.env.client.workflow.getHandle(contractWorkflowId(contractId)).terminate('test over');
}, 60_000);

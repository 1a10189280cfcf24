import { getContractStatus } from '../../client/contracts';
import { getPartnerStatus, resendAgencyRecordRequest } from '../../client/partners';
import { partnerWorkflowId } from '../../domain/vocabulary';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { createAgencyRecordToken } from '../../security/agency-record-token';
import { partnerApplication } from '../helpers/fixtures';
import { contractAwaitingDataSharing, useRealPipeline } from '../helpers/real-pipeline';
import { quotingBelow, usePipelineListener } from '../helpers/reply-listener';
import { eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal);
/** The representative's mail program: a real SMTP client talking to the listener. */
const { logLines, sendReply } = usePipelineListener(pipeline);
const answerTo = (to: string, outcome: string) => (m: TCaughtMail) =>
  m.envelopeTo.includes(to) && m.parsed.headers.get('x-cpo-reply-outcome') === outcome;

/** A contract waiting for the data-sharing agreement, and its request email with the `record+` Reply-To. */
async function waitingOnDataSharing() {
  const { partnerId, email, contractId, mail: request } = await contractAwaitingDataSharing(pipeline);
  const replyAddress = request.parsed.replyTo?.value[0]?.address ?? '';
  expect(replyAddress).toMatch(/^record\+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}@localhost$/);
  expect(request.parsed.text).toContain('"I affirm"');
  return { partnerId, email, contractId, request, replyAddress };
}

test('"I affirm" with the name and title, by email reply, records the data-sharing agreement and the waiting contract moves', async () => {
  const { partnerId, email, contractId, request, replyAddress } = await waitingOnDataSharing();
  expect((await getContractStatus(pipeline.context, contractId)).stage).toBe('awaiting_prerequisites');
  await sendReply({
    from: { name: 'L. Nguyen', address: email },
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    messageId: '<affirm-1@hoi.example>',
    text: quotingBelow(request, 'I affirm.\nName: Lan Nguyễn\nTitle: Executive Director', 'Community Partnerships Office'),
  });
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
  const statement = pipeline.context.policy.agencyRecords.statements.data_sharing_agreement!;
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([
    expect.objectContaining({
      kind: 'data_sharing_agreement',
      schoolYear: null,
      by: 'Lan Nguyễn',
      title: 'Executive Director',
      method: 'email_reply',
      statement,
    }),
  ]);
  const confirmation = await pipeline.catcher.waitFor(answerTo(email, 'record_affirmed'));
  expect(confirmation.parsed.subject).toMatch(/^Affirmed: data-sharing/i);
  expect(logLines.join('\n')).toContain('record+[token]');
  expect(logLines.join('\n')).not.toContain(replyAddress.slice(7, 50));

  // The same reply again changes nothing and is told so.
  await sendReply({ from: email, to: replyAddress, subject: `Re: ${request.parsed.subject}`, text: 'I affirm. Name: Lan Nguyễn' });
  await pipeline.catcher.waitFor(answerTo(email, 'already_on_file'));
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toHaveLength(1);
});

test('a vague reply is answered and changes nothing; another sender or a forged address is refused at SMTP; "I agree" then records', async () => {
  const { partnerId, email, request, replyAddress } = await waitingOnDataSharing();
  await sendReply({
    from: email,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: quotingBelow(request, 'thanks, will look', 'CPO'),
  });
  const vague = await pipeline.catcher.waitFor(answerTo(email, 'record_unclear'));
  expect(vague.parsed.text).toContain('did not say that you affirm the data-sharing');
  await sendReply({ from: email, to: replyAddress, text: 'We do not affirm this. Name: Lan Nguyễn' });
  await eventually(() => pipeline.catcher.messages.filter(answerTo(email, 'record_unclear')).length === 2);
  await expect(
    sendReply({ from: `mallory@${partnerId}.example`, to: replyAddress, text: 'I affirm. Name: Mallory' }),
  ).rejects.toMatchObject({ responseCode: 550 });
  await expect(
    sendReply({ from: email, to: `record+${'A'.repeat(60)}.${'B'.repeat(43)}@localhost`, text: 'I affirm' }),
  ).rejects.toMatchObject({ responseCode: 550 });
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([]);

  await sendReply({ from: email, to: replyAddress, subject: `Re: ${request.parsed.subject}`, text: 'I agree.\nName: Lan Nguyễn' });
  const record = await eventually(async () => (await getPartnerStatus(pipeline.context, partnerId)).records[0]);
  expect(record).toMatchObject({ kind: 'data_sharing_agreement', by: 'Lan Nguyễn', method: 'email_reply' });
});

test('after a staff resend, a reply to the older request is answered and changes nothing; a reply to the new one records', async () => {
  const { partnerId, email, replyAddress: older } = await waitingOnDataSharing();
  expect(await resendAgencyRecordRequest(pipeline.context, partnerId, { by: { name: 'CPO Staff' }, kind: 'data_sharing_agreement' })).toBe(
    2,
  );
  const second = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Data-sharing.*\(request #2\)/.test(m.parsed.subject ?? ''),
  );
  const newer = second.parsed.replyTo?.value[0]?.address ?? '';
  expect(newer).not.toBe(older);
  await sendReply({ from: email, to: older, text: 'I affirm. Name: Lan Nguyễn' });
  const refused = await pipeline.catcher.waitFor(answerTo(email, 'superseded'));
  expect(refused.parsed.text).toContain('A newer request for this record replaced the one you replied to');
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([]);
  await sendReply({ from: email, to: newer, text: 'I affirm. Name: Lan Nguyễn' });
  await pipeline.catcher.waitFor(answerTo(email, 'record_affirmed'));
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([
    expect.objectContaining({ kind: 'data_sharing_agreement', method: 'email_reply' }),
  ]);
});

test('when nothing answers for the partner (its worker is down), a reply gets SMTP 451 and changes nothing', async () => {
  const partnerId = uniqueId('no-worker');
  const application = partnerApplication(partnerId);
  // A partner whose task queue has no worker: queries get no answer, as with the worker down.
  const handle = await temporal.env.client.workflow.start('partnerWorkflow', {
    workflowId: partnerWorkflowId(partnerId),
    taskQueue: uniqueTaskQueue('no-worker'),
    args: [{ application, policy: pipeline.context.policy }],
  });
  const token = createAgencyRecordToken(
    {
      partnerId,
      kind: 'data_sharing_agreement',
      schoolYear: null,
      email: application.representative.email,
      requestNumber: 1,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    },
    pipeline.signingSecret,
  );
  await expect(
    sendReply({ from: application.representative.email, to: `record+${token}@localhost`, text: 'I affirm. Name: Lan Nguyễn' }),
  ).rejects.toMatchObject({ responseCode: 451 });
  expect(pipeline.catcher.messages.filter((m) => m.envelopeTo.includes(application.representative.email))).toEqual([]);
  await handle.terminate('test over');
}, 60_000);

import { getContractStatus, startContract } from '../../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, startPartnerReview } from '../../client/partners';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { usePipelineListener } from '../helpers/reply-listener';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal);
const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };
/** The representative's mail program: a real SMTP client talking to the listener. */
const { logLines, sendReply } = usePipelineListener(pipeline);
const answerTo = (to: string, outcome: string) => (m: TCaughtMail) =>
  m.envelopeTo.includes(to) && m.parsed.headers.get('x-cpo-reply-outcome') === outcome;
const quoting = (mail: TCaughtMail, text: string): string =>
  `${text}\n\nOn Mon, Nov 23, 2026 at 10:00 AM Community Partnerships Office wrote:\n${(mail.parsed.text ?? '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')}`;

/** A certified partner with a contract waiting for the attestation, and the attestation request with its Reply-To. */
async function waitingOnAttestation() {
  const partnerId = uniqueId('partner');
  const email = `lan@${partnerId}.example`;
  await applyPartner(pipeline.context, partnerApplication(partnerId));
  await startPartnerReview(pipeline.context, partnerId, { reviewer });
  await certifyPartner(pipeline.context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
  const contractId = uniqueId('contract');
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  const request = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Safety protocol attestation/.test(m.parsed.subject ?? ''),
  );
  const replyAddress = request.parsed.replyTo?.value[0]?.address ?? '';
  expect(replyAddress).toMatch(/^attest\+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}@localhost$/);
  return { partnerId, email, contractId, request, replyAddress };
}

test('"I agree to sign" with the name and title, by email reply, signs the attestation and the waiting contract moves', async () => {
  const { partnerId, email, contractId, request, replyAddress } = await waitingOnAttestation();
  await sendReply({
    from: { name: 'L. Nguyen', address: email },
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    messageId: '<attest-1@hoi.example>',
    text: quoting(request, 'I agree to sign.\nName: Lan Nguyễn\nTitle: Executive Director'),
  });
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
  const status = await getPartnerStatus(pipeline.context, partnerId);
  expect(status.attestations).toEqual([
    expect.objectContaining({
      signedBy: { name: 'Lan Nguyễn', title: 'Executive Director', email },
      ipAddress: '127.0.0.1',
      userAgent: 'email reply <attest-1@hoi.example>',
      document: status.attestationRequests[0]!.document,
    }),
  ]);
  const confirmation = await pipeline.catcher.waitFor(answerTo(email, 'attestation_signed'));
  expect(confirmation.parsed.subject).toMatch(/^Attestation signed: attestation \d{4}-\d{4} of /);
  expect(logLines.join('\n')).toContain('attest+[token]');
  expect(logLines.join('\n')).not.toContain(replyAddress.slice(7, 50));
});

test('the attestation PDF returned unchanged signs; a vague reply or another sender changes nothing', async () => {
  const { partnerId, email, request, replyAddress } = await waitingOnAttestation();
  await sendReply({ from: email, to: replyAddress, subject: `Re: ${request.parsed.subject}`, text: quoting(request, 'thanks, will look') });
  const vague = await pipeline.catcher.waitFor(answerTo(email, 'attestation_unclear'));
  expect(vague.parsed.text).toContain('did not say that you agree to sign the attestation');
  await expect(
    sendReply({ from: `mallory@${partnerId}.example`, to: replyAddress, text: 'I agree to sign. Name: Mallory' }),
  ).rejects.toMatchObject({ responseCode: 550 });
  await expect(
    sendReply({ from: email, to: `attest+${'A'.repeat(60)}.${'B'.repeat(43)}@localhost`, text: 'I agree to sign' }),
  ).rejects.toMatchObject({ responseCode: 550 });
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toEqual([]);

  const form = request.parsed.attachments[0]!;
  await sendReply({
    from: email,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: 'Signed form attached.',
    attachments: [{ filename: form.filename ?? 'attestation.pdf', content: form.content, contentType: 'application/pdf' }],
  });
  const signed = await eventually(async () => (await getPartnerStatus(pipeline.context, partnerId)).attestations[0]);
  expect(signed.signedBy).toEqual({ name: 'Lan Nguyễn', title: 'Executive Director', email });
  await pipeline.catcher.waitFor(answerTo(email, 'attestation_signed'));
});

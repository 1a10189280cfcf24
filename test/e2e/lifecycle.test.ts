import { getContractStatus, signContract, startContract, startProgram } from '../../client/contracts';
import { sha256Hex } from '../../activities/storage/document-store';
import { createProductionActivities } from '../../worker/create-worker';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { extractPdfText } from '../../activities/pdf/extract-pdf-text';
import { CONTRACT_SUMMARY, contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal);

const mailTo = (address: string, subject: RegExp) => (mail: TCaughtMail) =>
  mail.envelopeTo.includes(address) && subject.test(mail.parsed.subject ?? '');
const pdfOf = (mail: TCaughtMail) => {
  const attachment = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf');
  if (!attachment) throw new Error(`No PDF attached to "${mail.parsed.subject}"`);
  return new Uint8Array(attachment.content);
};
const flat = (text: string): string => text.replace(/\s+/g, ' ');

test('department-paid: real emails and PDFs from application to live, with the start gate closed until then', async () => {
  const { context } = pipeline;
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  const partnerEmail = `lan@${partnerId}.example`;
  const approverEmail = departmentPaid.payingDepartment.approverEmail;
  await readyPartner(context, partnerId);
  const attestationMail = await pipeline.catcher.waitFor(mailTo(partnerEmail, /Safety protocol attestation/));
  expect(flat((await extractPdfText(pdfOf(attestationMail))).pages.join(' '))).toContain('Hội Người Việt Tutoring');

  await startContract(context, contractRequest(contractId, partnerId, { ...departmentPaid, programName: 'Reading & Writing <Circle>' }));
  const request = await pipeline.catcher.waitFor(mailTo(partnerEmail, /Please sign the contract/));
  expect(request.parsed.subject).toBe('Please sign the contract for Reading & Writing <Circle> (request #1)');
  expect(request.parsed.text).toMatch(/Review and sign online: http:\/\/127\.0\.0\.1:3000\/sign\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\n/);
  expect(request.parsed.text).toMatch(/Or reply instead: read the attached PDF, then reply to this email/);
  expect(request.parsed.html).toMatch(/<a href="http:\/\/127\.0\.0\.1:3000\/sign\/[^"]+">Review and sign online<\/a>/);
  expect(request.parsed.text).toContain(`contract ${contractId}`);
  expect(request.parsed.html).toContain('Reading &amp; Writing &lt;Circle&gt;');
  expect(request.parsed.html).not.toContain('<Circle>');
  // Replies go to the inbound listener, the signing token in a plus-address (inbound/, CPO_REPLY_DOMAIN).
  expect(request.parsed.replyTo?.value[0]?.address).toMatch(/^sign\+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}@localhost$/);

  const contractPdf = pdfOf(request);
  const status = await getContractStatus(context, contractId);
  expect(sha256Hex(contractPdf)).toBe(status.documents.contract?.sha256);
  expect(request.parsed.text).toContain(sha256Hex(contractPdf));
  const contractText = await extractPdfText(contractPdf);
  const contractWords = flat(contractText.pages.join(' '));
  for (const expected of [
    'Hội Người Việt Tutoring',
    'Minneapolis Public Schools',
    '$12,500.00',
    'Anwatin Middle',
    'Folwell Middle',
    'Office of Academics',
    'Lan Nguyễn',
    'Dana Approver',
  ]) {
    expect(contractWords).toContain(expected);
  }

  await expect(startProgram(context, contractId, { by: { name: 'Principal' } })).rejects.toThrow(
    /final signed contract has not been received/,
  );
  await signContract(context, contractId, { role: 'partner', name: 'Lan Nguyễn', email: partnerEmail, consent: true, method: 'cli' });
  const countersign = await pipeline.catcher.waitFor(mailTo(approverEmail, /Please countersign the contract/));
  expect(sha256Hex(pdfOf(countersign))).toBe(sha256Hex(contractPdf));
  await signContract(context, contractId, { role: 'district', name: 'Dana Approver', email: approverEmail, consent: true, method: 'cli' });

  const executedMail = await pipeline.catcher.waitFor(mailTo(partnerEmail, /Contract executed/));
  expect(executedMail.envelopeTo.sort()).toEqual([approverEmail, partnerEmail].sort());
  const executed = await extractPdfText(pdfOf(executedMail));
  expect(executed.pageCount).toBeGreaterThanOrEqual(contractText.pageCount + 2);
  expect(executed.pages.slice(0, contractText.pageCount)).toEqual(contractText.pages);
  const signaturePage = flat(executed.pages[contractText.pageCount]!);
  for (const expected of ['Signatures', 'Lan Nguyễn', partnerEmail, 'Dana Approver', approverEmail, sha256Hex(contractPdf)]) {
    expect(signaturePage).toContain(expected);
  }
  const certificate = flat(executed.pages.slice(contractText.pageCount + 1).join(' '));
  expect(certificate).toContain('Certificate of completion');
  expect(certificate.indexOf('Signature request sent')).toBeLessThan(certificate.indexOf('Signed'));

  await pipeline.catcher.waitFor(mailTo(partnerEmail, /Program may start/));
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'live');
  await expect(startProgram(context, contractId, { by: { name: 'Principal' }, school: 'Anwatin Middle' })).resolves.toMatchObject({
    school: 'Anwatin Middle',
  });
  const forThisContract = pipeline.catcher.messages.filter((m) => m.envelopeTo.includes(partnerEmail));
  const messageIds = forThisContract.map((m) => m.parsed.messageId);
  expect(new Set(messageIds).size).toBe(messageIds.length);
  const subjects = forThisContract.map((m) => m.parsed.subject?.replace(/ for .*| \(.*|: .*/, ''));
  // The sealed attestation is emailed in the background, so it comes anywhere after the attestation request.
  expect(subjects.filter((subject) => subject === 'Signed')).toHaveLength(1);
  expect(subjects.indexOf('Signed')).toBeGreaterThan(subjects.indexOf('Safety protocol attestation'));
  expect(subjects.filter((subject) => subject !== 'Signed')).toEqual([
    'Safety protocol attestation',
    'Please sign the contract',
    'Contract executed',
    'Program may start',
  ]);
});

test('zero-dollar: the CPO office countersigns and the contract reaches live', async () => {
  const { context } = pipeline;
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  const partnerEmail = `lan@${partnerId}.example`;
  await readyPartner(context, partnerId);
  await startContract(context, contractRequest(contractId, partnerId));
  const request = await pipeline.catcher.waitFor(mailTo(partnerEmail, /Please sign the contract/));
  expect(flat((await extractPdfText(pdfOf(request))).pages.join(' '))).toContain('$0.00 (no money changes hands)');
  await signContract(context, contractId, { role: 'partner', name: 'Lan Nguyễn', email: partnerEmail, consent: true, method: 'cli' });
  const countersign = await pipeline.catcher.waitFor(mailTo('cpo@mpls.k12.mn.us', new RegExp(`countersign the contract.*`)));
  expect(countersign.parsed.text).toContain(contractId);
  await signContract(context, contractId, {
    role: 'district',
    name: 'CPO Office',
    email: 'cpo@mpls.k12.mn.us',
    consent: true,
    method: 'cli',
  });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'live');
  await expect(startProgram(context, contractId, { by: { name: 'Principal' } })).resolves.toMatchObject({ by: 'Principal' });
});

test('sending is idempotent per key: a retried send does not mail twice', async () => {
  const { sendNotification } = createProductionActivities(pipeline.env, pipeline.context);
  const recipient = `${uniqueId('idem')}@partner.example`;
  const notification = {
    kind: 'contract_live' as const,
    idempotencyKey: `${recipient}/live`,
    to: [recipient],
    contract: CONTRACT_SUMMARY,
  };
  const first = await sendNotification(notification);
  const second = await sendNotification(notification);
  expect(first.alreadySent).toBe(false);
  expect(second).toEqual({ messageId: first.messageId, alreadySent: true });
  // The catcher keeps a message before it answers 250, so both sends are over: whatever they mailed is here.
  expect(pipeline.catcher.messages.filter((m) => m.envelopeTo.includes(recipient))).toHaveLength(1);
});

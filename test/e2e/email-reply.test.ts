import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { sha256Hex } from '../../activities/storage/document-store';
import { getContractStatus, resendSignatureRequest } from '../../client/contracts';
import { createSigningToken } from '../../security/signing-token';
import type { ReplyListener, TReplyListenerDeps } from '../../inbound/create-reply-listener';
import type { TReplyResult } from '../../inbound/handle-reply';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { contractAwaitingPartner, signatureRequestTo, useRealPipeline } from '../helpers/real-pipeline';
import { replyFixture } from '../helpers/reply-fixtures';
import { createPipelineListener, quotingBelow, sendReplyTo } from '../helpers/reply-listener';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal);
const logLines: string[] = [];
const handled: TReplyResult[][] = [];
let listener: ReplyListener;
let listenerPort: number;

const createListener = (overrides: Partial<TReplyListenerDeps> = {}): ReplyListener => createPipelineListener(pipeline, overrides);

beforeAll(async () => {
  listener = createListener({ log: (line) => logLines.push(line), onHandled: (results) => handled.push(results) });
  listenerPort = await listener.listen(0);
});
afterAll(async () => {
  await listener?.close();
});

const stage = async (contractId: string) => (await getContractStatus(pipeline.context, contractId)).stage;
const answerTo = (to: string, outcome: string) => (m: TCaughtMail) =>
  m.envelopeTo.includes(to) && m.parsed.headers.get('x-cpo-reply-outcome') === outcome;
const replyToOf = (mail: TCaughtMail): string => {
  const address = mail.parsed.replyTo?.value[0]?.address;
  if (!address) throw new Error(`No Reply-To on "${mail.parsed.subject}"`);
  return address;
};
const tokenOf = (address: string): string => /^sign\+([^@]+)@/.exec(address)![1]!;

/** A partner's mail program: a real SMTP client talking to the listener. */
const sendReply = (message: Mail.Options): Promise<void> => sendReplyTo(listenerPort, message);
/** The request email quoted the way mail programs do, below the new text. */
const quoting = (mail: TCaughtMail, text: string): string => quotingBelow(mail, text, `Community Partnerships Office <${replyToOf(mail)}>`);

/** A contract waiting for its partner's signature, and the request email with its Reply-To. */
async function awaitingPartnerWithReplyAddress() {
  const contract = await contractAwaitingPartner(pipeline);
  return { ...contract, replyAddress: replyToOf(contract.request) };
}

async function expectUnchanged(contractId: string) {
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.stage).toBe('awaiting_partner_signature');
  expect(status.signatures).toEqual([]);
  expect(status.signingEvents.map((e) => e.type)).not.toContain('signed');
}

test('the request replies to sign+<token>@<reply domain>: the same token as the link, longer than 64 octets', async () => {
  const { request, replyAddress } = await awaitingPartnerWithReplyAddress();
  expect(replyAddress).toMatch(/^sign\+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}@localhost$/);
  expect(request.parsed.replyTo?.value[0]?.name).toBe('Community Partnerships Office');
  const token = tokenOf(replyAddress);
  expect(token.length + 'sign+'.length).toBeGreaterThan(64);
  expect(request.parsed.text).toContain(`/sign/${token}\n`);
  expect(request.parsed.text).toContain(`reply to this email from ${request.envelopeTo[0]} to sign contract`);
  expect(request.parsed.text).toContain('write "I agree to sign" and your full name on a line of its own, such as "Name: Lan Nguyễn"');
  expect(request.parsed.text).toContain('or return the attached PDF unchanged');
});

test('(1) "I agree to sign. Name: …" from the partner signs, by email reply', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  await sendReply({
    from: { name: 'L. Nguyen', address: partnerEmail },
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    inReplyTo: request.parsed.messageId,
    messageId: '<reply-1@hoi.example>',
    text: quoting(request, 'I agree to sign. Name: Lan Nguyễn\nTitle: Executive Director'),
  });
  await eventually(async () => (await stage(contractId)) === 'awaiting_district_signature');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.signatures).toEqual([
    expect.objectContaining({
      role: 'partner',
      name: 'Lan Nguyễn',
      title: 'Executive Director',
      email: partnerEmail,
      method: 'email_reply',
      requestNumber: 1,
      documentSha256: status.documents.contract!.sha256,
      ipAddress: '127.0.0.1',
      userAgent: 'email reply <reply-1@hoi.example>',
    }),
  ]);
  const confirmation = await pipeline.catcher.waitFor(answerTo(partnerEmail, 'signed'));
  expect(confirmation.parsed.subject).toBe(`Signature recorded: contract ${contractId} (request #1)`);
  expect(confirmation.parsed.headers.get('auto-submitted')).toBe('auto-replied');
  expect(confirmation.parsed.inReplyTo).toBe('<reply-1@hoi.example>');
  // The district's countersignature request has its own reply address, and the district can answer it too.
  const districtRequest = await pipeline.catcher.waitFor(signatureRequestTo('cpo@mpls.k12.mn.us', 2));
  expect(replyToOf(districtRequest)).not.toBe(replyAddress);
  await sendReply({
    from: 'Community Partnerships Office <cpo@mpls.k12.mn.us>',
    to: replyToOf(districtRequest),
    text: 'Countersigned: I agree to sign.',
  });
  await eventually(async () => (await stage(contractId)) === 'live');
  expect(
    (await getContractStatus(pipeline.context, contractId)).signatures.map((s) => [s.role, s.name, s.method, s.requestNumber]),
  ).toEqual([
    ['partner', 'Lan Nguyễn', 'email_reply', 1],
    ['district', 'Community Partnerships Office', 'email_reply', 2],
  ]);
});

test('(2) a vague reply is answered with what is needed, and the contract does not move', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: quoting(request, 'thanks, will look'),
  });
  const answer = await pipeline.catcher.waitFor(answerTo(partnerEmail, 'unclear'));
  expect(answer.parsed.subject).toBe(`Not signed: contract ${contractId} (request #1)`);
  expect(answer.parsed.text).toContain('did not say that you agree to sign');
  expect(answer.parsed.text).toContain('"I agree to sign"');
  expect(answer.parsed.text).toContain('"Name: …"');
  expect(answer.parsed.text).toContain('return the contract PDF attached to the request unchanged');
  expect(answer.parsed.text).toContain('"I decline" and the reason');
  // The answer carries the contract, and replying to it reaches the same request.
  const status = await getContractStatus(pipeline.context, contractId);
  expect(answer.parsed.attachments.map((a) => sha256Hex(new Uint8Array(a.content)))).toEqual([status.documents.contract!.sha256]);
  expect(replyToOf(answer)).toBe(replyAddress);
  await expectUnchanged(contractId);

  await sendReply({
    from: { name: 'Lan Nguyễn', address: partnerEmail },
    to: replyToOf(answer),
    subject: `Re: ${answer.parsed.subject}`,
    text: 'OK then: I agree to sign.',
  });
  await eventually(async () => (await stage(contractId)) === 'awaiting_district_signature');
  expect((await getContractStatus(pipeline.context, contractId)).signatures[0]).toMatchObject({
    name: 'Lan Nguyễn',
    method: 'email_reply',
  });
});

test('(3) a reply from another sender is refused in the SMTP exchange (550); no answer goes to anyone; nothing changes', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  const stranger = `mallory@${uniqueId('elsewhere')}.example`;
  const before = handled.length;
  await expect(
    sendReply({
      from: { name: 'Lan Nguyễn', address: stranger },
      to: replyAddress,
      subject: `Re: ${request.parsed.subject}`,
      text: 'I agree to sign. Name: Lan Nguyễn',
    }),
  ).rejects.toMatchObject({
    responseCode: 550,
    response: expect.stringContaining('only from the person the signature request was sent to'),
  });
  expect(
    handled
      .slice(before)
      .flat()
      .map((r) => r.outcome),
  ).toEqual(['wrong_sender']);
  expect(pipeline.catcher.messages.filter((m) => m.envelopeTo.includes(stranger) || answerTo(partnerEmail, 'wrong_sender')(m))).toEqual([]);
  await expectUnchanged(contractId);
});

test('(4) returning the exact contract PDF signs; a different PDF does not', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  const status = await getContractStatus(pipeline.context, contractId);
  const contractPdf = await pipeline.documents.get(status.documents.contract!);
  const changed = Uint8Array.from(contractPdf);
  changed[changed.length - 20] = changed[changed.length - 20]! ^ 1;

  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: 'I agree to sign, see the attached signed copy.',
    attachments: [{ filename: 'contract-signed.pdf', content: Buffer.from(changed), contentType: 'application/pdf' }],
  });
  const refused = await pipeline.catcher.waitFor(answerTo(partnerEmail, 'different_pdf'));
  expect(refused.parsed.text).toContain('is not the contract on record');
  expect(refused.parsed.text).toContain(status.documents.contract!.sha256);
  await expectUnchanged(contractId);

  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: 'Signed and returned.',
    attachments: [
      { filename: 'logo.png', content: Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), contentType: 'image/png' },
      { filename: status.documents.contract!.filename, content: Buffer.from(contractPdf), contentType: 'application/pdf' },
    ],
  });
  await eventually(async () => (await stage(contractId)) === 'awaiting_district_signature');
  // No Name line and no display name: the designated signer's name.
  expect((await getContractStatus(pipeline.context, contractId)).signatures[0]).toMatchObject({
    name: 'Lan Nguyễn',
    method: 'email_reply',
    documentSha256: sha256Hex(contractPdf),
  });
  expect((await pipeline.catcher.waitFor(answerTo(partnerEmail, 'signed'))).parsed.text).toContain(
    'by returning the contract PDF unchanged',
  );
});

test('(5) after a resend, a reply to the old request is refused; the new address declines with a reason', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  expect(await resendSignatureRequest(pipeline.context, contractId, { by: { name: 'CPO Staff' } })).toBe(2);
  const newRequest = await pipeline.catcher.waitFor(signatureRequestTo(partnerEmail, 2));
  expect(replyToOf(newRequest)).not.toBe(replyAddress);

  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    subject: `Re: ${request.parsed.subject}`,
    text: 'I agree to sign. Name: Lan Nguyễn',
  });
  const refused = await pipeline.catcher.waitFor(answerTo(partnerEmail, 'superseded'));
  expect(refused.parsed.text).toContain('A newer signature request replaced the one you replied to');
  await expectUnchanged(contractId);

  await sendReply({
    from: partnerEmail,
    to: replyToOf(newRequest),
    subject: `Re: ${newRequest.parsed.subject}`,
    text: quoting(newRequest, 'I decline.\nReason: Our funding for this program ended.'),
  });
  await eventually(async () => (await stage(contractId)) === 'declined');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.closedReason).toBe('Our funding for this program ended.');
  expect(status.signingEvents.map((e) => `${e.type}#${e.requestNumber}`)).toEqual(['sent#1', 'resent#2', 'declined#2']);
  expect(status.signingEvents.at(-1)).toMatchObject({ ipAddress: '127.0.0.1', userAgent: expect.stringMatching(/^email reply </) });
});

test('(6) a forged, malformed or expired reply address is refused at RCPT TO (550), before any message; other mailboxes too', async () => {
  const { contractId, partnerEmail, replyAddress } = await awaitingPartnerWithReplyAddress();
  const [payload, mac] = tokenOf(replyAddress).split('.') as [string, string];
  const forged = `sign+${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}@localhost`;
  const claims = {
    contractId,
    role: 'partner' as const,
    email: partnerEmail,
    requestNumber: 1,
    expiresAt: Math.floor(Date.now() / 1000) - 60,
  };
  const expired = `sign+${createSigningToken(claims, pipeline.signingSecret)}@localhost`;
  const before = { handled: handled.length, mails: pipeline.catcher.messages.length };
  await expect(sendReply({ from: partnerEmail, to: forged, subject: 'Re: contract', text: 'I agree to sign' })).rejects.toMatchObject({
    responseCode: 550,
    response: expect.stringContaining('not issued by the district'),
  });
  await expect(
    sendReply({ from: partnerEmail, to: 'sign+not-a-token@localhost', subject: 'Re: contract', text: 'I agree to sign' }),
  ).rejects.toMatchObject({
    responseCode: 550,
    response: expect.stringContaining('incomplete or damaged'),
  });
  await expect(sendReply({ from: partnerEmail, to: expired, subject: 'Re: contract', text: 'I agree to sign' })).rejects.toMatchObject({
    responseCode: 550,
    response: expect.stringContaining('has expired'),
  });
  await expect(sendReply({ from: partnerEmail, to: 'cpo@localhost', text: 'hello' })).rejects.toMatchObject({ responseCode: 550 });
  await expect(
    sendReply({ from: partnerEmail, to: replyAddress.replace('@localhost', '@elsewhere.example'), text: 'I agree' }),
  ).rejects.toMatchObject({
    responseCode: 550,
  });
  expect(handled.length).toBe(before.handled);
  expect(pipeline.catcher.messages.length).toBe(before.mails);
  await expectUnchanged(contractId);
});

test('issue 19 §4: MAIL FROM an attacker, RCPT TO a token never issued, subject "hi": 550, and no mail goes out', async () => {
  const attacker = 'attacker@evil.example';
  const before = pipeline.catcher.messages.length;
  await expect(
    sendReply({
      envelope: { from: attacker, to: 'sign+garbage@localhost' },
      from: attacker,
      to: 'sign+garbage@localhost',
      subject: 'hi',
      text: 'hi',
    }),
  ).rejects.toMatchObject({ responseCode: 550 });
  expect(pipeline.catcher.messages.slice(before)).toEqual([]);
});

test("answers never repeat the reply's subject or Message-ID; a signer gets at most a few per hour, besides confirmations", async () => {
  const { contractId, partnerEmail, replyAddress } = await awaitingPartnerWithReplyAddress();
  const limited = createListener({ answersPerHour: 2, onHandled: (results) => handled.push(results) });
  const limitedPort = await limited.listen(0);
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: limitedPort, secure: false, ignoreTLS: true });
  const before = handled.length;
  try {
    for (let i = 0; i < 3; i++) {
      await client.sendMail({
        from: partnerEmail,
        to: replyAddress,
        subject: `Re: hi, claim your refund at http://evil.example/${i}`,
        messageId: `<evil ${i} http://evil.example>`,
        text: 'thanks, will look',
      });
    }
    // A confirmation of what was recorded is not limited: there is one per request the district sent.
    await client.sendMail({ from: partnerEmail, to: replyAddress, subject: 'Re: hi', text: 'I agree to sign.' });
  } finally {
    client.close();
    await limited.close();
  }
  const results = handled.slice(before).flat();
  expect(results.map((r) => [r.outcome, r.answeredTo])).toEqual([
    ['unclear', partnerEmail],
    ['unclear', partnerEmail],
    ['unclear', undefined],
    ['signed', partnerEmail],
  ]);
  const answers = pipeline.catcher.messages.filter(answerTo(partnerEmail, 'unclear')).filter((m) => m.parsed.text?.includes(contractId));
  expect(answers).toHaveLength(2);
  for (const answer of answers) {
    expect(answer.parsed.subject).toBe(`Not signed: contract ${contractId} (request #1)`);
    expect(answer.raw.toString()).not.toContain('evil.example');
  }
  expect((await pipeline.catcher.waitFor(answerTo(partnerEmail, 'signed'))).parsed.subject).toBe(
    `Signature recorded: contract ${contractId} (request #1)`,
  );
});

test('issue 20 item 9: real GroupWise and French Outlook replies over SMTP count only their own text, not the quoted request', async () => {
  const { contractId, partnerEmail, request, replyAddress } = await awaitingPartnerWithReplyAddress();
  /** The reply `client` makes to `mail`, quoting its text the way that client does. */
  const replyIn = (client: string, mail: TCaughtMail, from: string, newText: string) => ({
    envelope: { from, to: replyToOf(mail) },
    raw: replyFixture(client, {
      from,
      to: replyToOf(mail),
      subject: mail.parsed.subject!,
      inReplyTo: mail.parsed.messageId!,
      newText,
      requestText: mail.parsed.text!,
    }),
  });
  // Outlook (French) quotes the request, which says "I decline", without ">" marks below "De : … Envoyé : …".
  await sendReply(replyIn('outlook-fr', request, partnerEmail, 'I agree to sign.\nName: Lan Nguyễn'));
  await eventually(async () => (await stage(contractId)) === 'awaiting_district_signature');
  expect((await getContractStatus(pipeline.context, contractId)).signatures.map((s) => [s.role, s.name])).toEqual([
    ['partner', 'Lan Nguyễn'],
  ]);
  expect(replyAddress).toBe(replyToOf(request));

  // GroupWise quotes the countersignature request, which says "I agree to sign", below ">>> … >>>" without marks.
  const forContract = (m: TCaughtMail) => m.parsed.headers.get('x-cpo-contract') === contractId;
  const districtRequest = await pipeline.catcher.waitFor((m) => signatureRequestTo('cpo@mpls.k12.mn.us', 2)(m) && forContract(m));
  await sendReply(replyIn('groupwise', districtRequest, 'cpo@mpls.k12.mn.us', 'Please fix the amount to $1,200 before I countersign.'));
  const answer = await pipeline.catcher.waitFor(
    (m) => answerTo('cpo@mpls.k12.mn.us', 'unclear')(m) && (m.parsed.text ?? '').includes(contractId),
  );
  expect(answer.parsed.text).toContain('did not say that you agree to sign');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.stage).toBe('awaiting_district_signature');
  expect(status.signatures.map((s) => s.role)).toEqual(['partner']);
});

test('automatic mail (out of office, bounces) is neither acted on nor answered', async () => {
  const { contractId, partnerEmail, replyAddress } = await awaitingPartnerWithReplyAddress();
  const before = handled.length;
  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    subject: 'Out of office',
    text: 'I agree to sign',
    headers: { 'Auto-Submitted': 'auto-replied' },
  });
  await sendReply({
    from: partnerEmail,
    envelope: { from: '', to: replyAddress },
    to: replyAddress,
    subject: 'Undeliverable',
    text: 'I agree to sign',
  });
  expect(
    handled
      .slice(before)
      .flat()
      .map((r) => r.outcome),
  ).toEqual(['ignored_automatic', 'ignored_automatic']);
  await expectUnchanged(contractId);
});

test('oversized messages are refused with 552; more than a few attachments are ignored', async () => {
  const { contractId, partnerEmail, replyAddress } = await awaitingPartnerWithReplyAddress();
  const small = createListener({ maxMessageBytes: 64 * 1024 });
  const smallPort = await small.listen(0);
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: smallPort, secure: false, ignoreTLS: true });
  try {
    await expect(
      client.sendMail({
        from: partnerEmail,
        to: replyAddress,
        text: 'I agree to sign',
        attachments: [{ filename: 'big.bin', content: Buffer.alloc(200 * 1024, 1) }],
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  } finally {
    client.close();
    await small.close();
  }
  await expectUnchanged(contractId);

  const status = await getContractStatus(pipeline.context, contractId);
  const contractPdf = Buffer.from(await pipeline.documents.get(status.documents.contract!));
  await sendReply({
    from: partnerEmail,
    to: replyAddress,
    text: 'Here you go.',
    attachments: Array.from({ length: 6 }, (_, i) => ({ filename: `copy-${i}.pdf`, content: contractPdf, contentType: 'application/pdf' })),
  });
  const answer = await pipeline.catcher.waitFor(answerTo(partnerEmail, 'unclear'));
  expect(answer.parsed.text).toContain('more than 5 attachments, so none of them was read');
  await expectUnchanged(contractId);
});

test('logs name the reply address with the token redacted', () => {
  if (process.env.SHOW_REPLY_LOG) console.log(logLines.join('\n'));
  expect(logLines.length).toBeGreaterThan(5);
  expect(logLines.join('\n')).toContain('sign+[token]@localhost');
  for (const mail of pipeline.catcher.messages) {
    const token = /sign\+([^@]+)@/.exec(mail.parsed.replyTo?.text ?? '')?.[1];
    if (token) expect(logLines.join('\n')).not.toContain(token.slice(0, 30));
  }
});

import { simpleParser } from 'mailparser';
import type { TOpenedRequest } from '../../client/open-signing-request';
import type { TContractStatus } from '../../domain/schemas/contract';
import { decideSigningReply } from '../../inbound/decide-signing-reply';
import { screenReply } from '../../inbound/screen-reply';
import type { TInboundMessage } from '../../inbound/reply-sender';
import type { TSigningClaims } from '../../security/signing-token';

const SHA = 'a'.repeat(64);
const claims: TSigningClaims = {
  contractId: 'c-42',
  role: 'partner',
  email: 'lan@partner.example',
  requestNumber: 2,
  expiresAt: 2_000_000_000,
};
/** The parts of a contract's status the decision reads. */
const status = {
  contractId: 'c-42',
  stage: 'awaiting_partner_signature',
  request: { partnerSigner: { name: 'Lan Nguyen', email: 'lan@partner.example' } },
  districtSigner: { name: 'Dana District', email: 'dana@district.example', office: 'Superintendent' },
  signing: {
    role: 'partner',
    name: 'Lan Nguyen',
    email: 'lan@partner.example',
    requestNumber: 2,
    document: { sha256: SHA, filename: 'c-42.pdf' },
  },
} as unknown as TContractStatus;
const opened: TOpenedRequest = { ok: true, claims, status };

async function message(text: string, headers: Record<string, string> = {}, envelopeFrom = 'lan@partner.example'): Promise<TInboundMessage> {
  const head = Object.entries({
    From: 'Lan <lan@partner.example>',
    To: 'sign+t@reply.example',
    Subject: 'Re: contract',
    'Message-ID': '<m1@partner.example>',
    ...headers,
  })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  return {
    envelopeFrom,
    recipients: ['sign+t@reply.example'],
    remoteAddress: '::ffff:192.0.2.7',
    parsed: await simpleParser(`${head}\r\n\r\n${text}\r\n`),
  };
}

describe('screenReply', () => {
  test('automatic mail is ignored, before the token is looked at', async () => {
    expect(screenReply(await message('I agree to sign', { 'Auto-Submitted': 'auto-replied' }), { ok: true, claims })).toEqual({
      ok: false,
      outcome: 'ignored_automatic',
    });
  });
  test('a token that no longer verifies gets its reason', async () => {
    expect(screenReply(await message('I agree to sign'), { ok: false, reason: 'expired' })).toEqual({
      ok: false,
      outcome: 'expired',
    });
  });
  test('a reply from someone other than the signer is wrong_sender, with the claims naming the contract', async () => {
    const other = await message('I agree to sign', { From: 'Mallory <mallory@elsewhere.example>' }, 'mallory@elsewhere.example');
    expect(screenReply(other, { ok: true, claims })).toEqual({ ok: false, outcome: 'wrong_sender', claims });
  });
  test('the signer as From (another envelope sender) passes, with the claims', async () => {
    expect(screenReply(await message('I agree', {}, 'bounces@mailer.example'), { ok: true, claims })).toEqual({ ok: true, claims });
  });
});

describe('decideSigningReply', () => {
  test('agreement with a Name line signs as that name, on the document on record, then confirms (replies go to the office)', async () => {
    const plan = decideSigningReply(await message('I agree to sign.\nName: Lan T. Nguyen\nTitle: Director'), opened);
    expect(plan).toEqual({
      action: 'sign',
      signature: {
        role: 'partner',
        name: 'Lan T. Nguyen',
        title: 'Director',
        email: 'lan@partner.example',
        requestNumber: 2,
        documentSha256: SHA,
        ipAddress: '192.0.2.7',
        userAgent: 'email reply <m1@partner.example>',
      },
      answer: expect.objectContaining({ outcome: 'signed', subject: 'Signature recorded', confirmsRecord: true, replyTo: 'office' }),
    });
  });
  test('a decline with a reason declines, by the designated signer when no name is given', async () => {
    const plan = decideSigningReply(await message('I decline.\nReason: the dates do not fit our staff'), opened);
    expect(plan).toMatchObject({
      action: 'decline',
      decline: { by: { email: 'lan@partner.example' }, reason: 'the dates do not fit our staff', requestNumber: 2 },
      answer: { outcome: 'declined', replyTo: 'office' },
    });
  });
  test('an unclear reply is answered with the contract attached; replies to the answer reach the request again', async () => {
    const plan = decideSigningReply(await message('Thanks, will look next week'), opened);
    expect(plan).toEqual({
      action: 'answer',
      answer: {
        outcome: 'unclear',
        subject: 'Not signed',
        text: expect.stringContaining('contract c-42 (request #2)'),
        replyTo: 'request',
        attachContract: status,
      },
    });
  });
  test('a superseded request is answered as refused, saying so', async () => {
    const plan = decideSigningReply(await message('I agree to sign'), { ok: false, reason: 'superseded', claims });
    expect(plan).toEqual({
      action: 'answer',
      answer: {
        outcome: 'superseded',
        subject: 'Reply refused',
        text: expect.stringContaining('A newer signature request'),
        replyTo: 'request',
      },
    });
  });
  test('a token that does not open gets no answer', async () => {
    expect(decideSigningReply(await message('I agree to sign'), { ok: false, reason: 'forged' })).toEqual({
      action: 'none',
      outcome: 'forged',
    });
  });
});

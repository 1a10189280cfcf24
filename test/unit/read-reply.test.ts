import { createHash } from 'node:crypto';
import { REPLY_PREFIXES } from '../../domain/vocabulary';
import { redactReplyTokens, replyTokenOf } from '../../inbound/reply-address';
import { attachedPdfs, decideReply, MAX_ATTACHMENTS, readReply, type TAttachedPdfs } from '../../inbound/read-reply';
import { stripQuoted } from '../../inbound/strip-quoted';

const quotedRequest = [
  '',
  'On Mon, Nov 23, 2026 at 10:00 AM Community Partnerships Office <',
  'sign+abc.def@replies.district.example> wrote:',
  '> Dear Lan Nguyễn,',
  '> To decline, follow the link or reply with "I decline" and the reason.',
  '> I agree to sign',
].join('\n');

describe('stripQuoted', () => {
  test.each([
    ['On … wrote: on one line', 'I agree.\n\nOn Mon, 23 Nov 2026, Office <sign+x@d.example> wrote:\n> decline\n> please sign', 'I agree.'],
    ['On … wrote: wrapped over lines', `Thanks${quotedRequest}`, 'Thanks'],
    ['Outlook separator and header block', 'OK by me\n________________________________\nFrom: Office\nSent: Monday\nI decline', 'OK by me'],
    [
      'Outlook header block without the rule',
      'Fine\n\nFrom: Community Partnerships Office <cpo@x.example>\nSent: Monday, November 23\nSubject: decline',
      'Fine',
    ],
    ['Original Message', 'Yes\n-----Original Message-----\nI decline', 'Yes'],
    ['signature delimiter', 'I agree to sign\n-- \nLan Nguyễn\nDecline Street 5', 'I agree to sign'],
    ['interleaved > lines', '> Please sign\nI agree to sign\n> To decline, reply', 'I agree to sign'],
    ['"X wrote:" right above quoted lines', 'Agreed\nLan <lan@x.example> wrote:\n> decline', 'Agreed'],
    ['CRLF', 'I agree\r\n> decline\r\n', 'I agree'],
  ])('%s', (_name, input, expected) => {
    expect(stripQuoted(input)).toBe(expected);
  });

  // A Czech header ("napsal(a):") matches no attribution pattern: only our reply address in it marks the quote.
  test.each(REPLY_PREFIXES)('a quote header naming our %s+ reply address', (prefix) => {
    const header = `Dne 23. 11. 2026 Community Partnerships Office <${prefix}+abc.${'x'.repeat(43)}@replies.example> napsal(a):`;
    expect(stripQuoted(`Souhlasím\n\n${header}\nI decline, reply with the reason`)).toBe('Souhlasím');
  });
});

describe('readReply', () => {
  test.each([
    'I agree to sign.',
    'i AGREE',
    'We agree to sign the contract.',
    'I accept.',
    'I hereby agree to sign this contract electronically.',
    'Happy to agree to sign, thank you!',
    'Yes, I agree.\nLan',
  ])('agrees: %s', (text) => {
    expect(readReply({ text }).intent).toBe('agree');
  });

  test.each([
    ['vague', 'thanks, will look', 'nothing'],
    ['empty', '', 'nothing'],
    ['only the quoted original agrees', `Got it${quotedRequest}`, 'nothing'],
    ['negated', 'I do not agree to sign this.', 'nothing'],
    ['negated with a (curly) contraction', 'We don’t agree to sign yet', 'nothing'],
    ['"Agreed" alone is not one of the phrases', 'Agreed.', 'nothing'],
    ['cannot accept', 'We cannot accept these terms', 'nothing'],
    ['disagree', 'I disagree', 'nothing'],
    ['agrees and declines', 'I agree. Actually, I decline.', 'conflicting'],
    ['declines without reason', 'I decline.', 'decline_without_reason'],
    ['declines with a name only', 'I decline\nName: Lan Nguyễn', 'decline_without_reason'],
  ])('unclear (%s)', (_name, text, why) => {
    const reading = readReply({ text });
    expect(reading).toMatchObject({ intent: 'unclear', unclear: why });
  });

  test('declines with the reason on a Reason line, or the whole reply', () => {
    expect(readReply({ text: 'I decline.\nReason: our funding for this program ended.' })).toMatchObject({
      intent: 'decline',
      reason: 'our funding for this program ended.',
    });
    expect(readReply({ text: 'We must decline because our funding ended.\nName: Lan Nguyễn' })).toMatchObject({
      intent: 'decline',
      reason: 'We must decline because our funding ended.',
      name: 'Lan Nguyễn',
    });
  });

  test('the name: a Name line, on its own or after a sentence, else the From display name', () => {
    expect(readReply({ text: 'I agree to sign. Name: Lan Nguyễn', fromName: 'L. N.' })).toMatchObject({
      name: 'Lan Nguyễn',
      nameSource: 'name_line',
    });
    expect(readReply({ text: 'I agree to sign\nFull name: "Cabdi Maxamed"\nTitle: Director' })).toMatchObject({
      name: 'Cabdi Maxamed',
      title: 'Director',
    });
    expect(readReply({ text: 'I agree\nName: Lan Nguyễn, Title: Executive Director.' })).toMatchObject({
      name: 'Lan Nguyễn',
      title: 'Executive Director',
    });
    expect(readReply({ text: 'I agree', fromName: 'Tswj Vaj' })).toMatchObject({ name: 'Tswj Vaj', nameSource: 'from' });
    expect(readReply({ text: 'I agree', fromName: 'lan@example.org' }).name).toBeUndefined();
    expect(readReply({ text: 'I agree. Program name: Reading' }).name).toBeUndefined();
    expect(readReply({ text: `I agree\nName: ${'x'.repeat(500)}` }).name).toHaveLength(200);
  });
});

describe('attachedPdfs and decideReply', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7 the contract');
  const other = new TextEncoder().encode('%PDF-1.7 a changed contract');
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const none: TAttachedPdfs = { pdfSha256: [], ignored: 0, tooMany: false };
  const contract = { sha256: sha(pdf), role: 'partner' as const };

  test('PDFs are found by type, name or content and hashed; others ignored; too many ignored altogether', () => {
    const logo = { filename: 'logo.png', contentType: 'image/png', content: new Uint8Array([137, 80, 78, 71]) };
    expect(attachedPdfs([logo, { filename: 'contract.pdf', contentType: 'application/octet-stream', content: pdf }])).toEqual({
      pdfSha256: [sha(pdf)],
      ignored: 1,
      tooMany: false,
    });
    expect(attachedPdfs([{ contentType: 'application/octet-stream', content: other }]).pdfSha256).toEqual([sha(other)]);
    const many = Array.from({ length: MAX_ATTACHMENTS + 1 }, () => ({ filename: 'c.pdf', contentType: 'application/pdf', content: pdf }));
    expect(attachedPdfs(many)).toEqual({ pdfSha256: [], ignored: MAX_ATTACHMENTS + 1, tooMany: true });
  });

  test('the decision table', () => {
    const agree = readReply({ text: 'I agree to sign. Name: Lan Nguyễn' });
    const vague = readReply({ text: 'thanks, will look' });
    const decline = readReply({ text: 'I decline. Reason: funding ended' });
    const same = { ...none, pdfSha256: [sha(pdf)] };
    const different = { ...none, pdfSha256: [sha(other)] };
    expect(decideReply(agree, none, contract)).toEqual({ action: 'sign', by: 'text', name: 'Lan Nguyễn' });
    expect(decideReply(vague, same, contract)).toEqual({ action: 'sign', by: 'pdf' });
    expect(decideReply(agree, { ...none, pdfSha256: [sha(other), sha(pdf)] }, contract)).toMatchObject({ action: 'sign', by: 'pdf' });
    expect(decideReply(vague, different, contract)).toEqual({ action: 'answer', problem: 'different_pdf' });
    expect(decideReply(agree, different, contract)).toEqual({ action: 'answer', problem: 'different_pdf' });
    expect(decideReply(vague, none, contract)).toEqual({ action: 'answer', problem: 'unclear' });
    expect(decideReply(decline, none, contract)).toEqual({ action: 'decline', reason: 'funding ended' });
    expect(decideReply(decline, different, contract)).toMatchObject({ action: 'decline' });
    expect(decideReply(decline, same, contract)).toEqual({ action: 'answer', problem: 'conflicting' });
    expect(decideReply(decline, none, { ...contract, role: 'district' })).toEqual({ action: 'answer', problem: 'district_cannot_decline' });
    expect(decideReply(readReply({ text: 'I decline' }), none, contract)).toEqual({ action: 'answer', problem: 'decline_without_reason' });
  });
});

test('reply addresses: the kind and token are read only from <kind>+<token>@<reply domain>, and redacted for logs', () => {
  expect(replyTokenOf('sign+abc.DEF_-@Replies.Example', 'replies.example')).toEqual({ prefix: 'sign', token: 'abc.DEF_-' });
  expect(replyTokenOf('SIGN+abc@replies.example', 'replies.example')).toEqual({ prefix: 'sign', token: 'abc' });
  expect(replyTokenOf('Approve+x.y@replies.example', 'replies.example')).toEqual({ prefix: 'approve', token: 'x.y' });
  expect(replyTokenOf('attest+a@replies.example', 'replies.example')).toEqual({ prefix: 'attest', token: 'a' });
  expect(replyTokenOf('record+r@replies.example', 'replies.example')).toEqual({ prefix: 'record', token: 'r' });
  expect(replyTokenOf('sign+abc@other.example', 'replies.example')).toBeUndefined();
  expect(replyTokenOf('cpo@replies.example', 'replies.example')).toBeUndefined();
  expect(replyTokenOf('sign+@replies.example', 'replies.example')).toBeUndefined();
  expect(replyTokenOf('other+abc@replies.example', 'replies.example')).toBeUndefined();
  expect(redactReplyTokens('sign+abc.def@replies.example')).toBe('sign+[token]@replies.example');
  expect(redactReplyTokens('could not reach <approve+abc.d@replies.example>: record+x.y too')).toBe(
    'could not reach <approve+[token]@replies.example>: record+[token] too',
  );
});

import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { renderNotification } from '../../activities/email/render-notification';
import { ZNotificationSchema } from '../../domain/schemas/notification';
import { readReply } from '../../inbound/read-reply';
import { requestMarkers } from '../../inbound/strip-quoted';
import { REPLY_CLIENTS, replyFixture } from '../helpers/reply-fixtures';

// Issue 20 item 9: agreement counts only in the reply's own new text, whatever mail program quoted the request
// below it (real RFC 822 replies in each program's format, read by mailparser as the listener reads them).
const sha256 = createHash('sha256').update('the contract on record').digest('hex');
const signers = {
  partner: { name: 'Lan Nguyễn', email: 'lan@hoi.example' },
  district: { name: 'Community Partnerships Office', email: 'cpo@mpls.k12.mn.us' },
};

/** The signature request email as the worker renders it, with its link and reply address. */
function requestTo(role: 'partner' | 'district') {
  const notification = ZNotificationSchema.parse({
    kind: 'signature_request',
    idempotencyKey: `signature-request/${role}`,
    to: [signers[role].email],
    contract: {
      contractId: 'reading-circles-2026',
      programName: 'Reading circles',
      organizationName: 'Hội Người Việt',
      schools: ['Anwatin Middle'],
      routeLabel: 'Zero dollar (partner-funded)',
      amountCents: 120_000,
      startDate: '2026-09-01',
      endDate: '2027-06-10',
      district: 'Minneapolis Public Schools',
    },
    signerName: signers[role].name,
    signerRole: role,
    requestNumber: 1,
    deadline: '2026-12-07T16:00:00.000Z',
    documentSha256: sha256,
  });
  return renderNotification(notification, 'America/Chicago', {
    signingUrl: 'https://partners.mpls.example/sign/eyJjIjoi.abc',
    replyAddress: 'sign+eyJjIjoi.abc@replies.mpls.example',
  });
}

async function readClientReply(client: string, role: 'partner' | 'district', newText: string) {
  const request = requestTo(role);
  const raw = replyFixture(client, {
    from: signers[role].email,
    to: 'sign+eyJjIjoi.abc@replies.mpls.example',
    subject: request.subject,
    inReplyTo: '<3f2a1b@mpls.k12.mn.us>',
    newText,
    requestText: request.text,
  });
  const parsed = await simpleParser(raw);
  return readReply({ text: parsed.text ?? '', sent: requestMarkers(signers[role].name, sha256) });
}

test('there are fixtures of at least ten mail programs and languages', () => {
  expect(REPLY_CLIENTS.length).toBeGreaterThanOrEqual(10);
});

describe.each(REPLY_CLIENTS)('a reply from %s', (client) => {
  test('the district\'s "please fix the amount" above the quoted request does not countersign', async () => {
    const reading = await readClientReply(client, 'district', 'Please fix the amount to $1,200 before I countersign.\nThanks, Ana');
    expect(reading).toMatchObject({ intent: 'unclear', unclear: 'nothing' });
    expect(reading.name).toBeUndefined();
    expect(reading.text).toContain('Please fix the amount');
    expect(reading.text).not.toContain('I agree to sign');
  });

  test('the partner\'s "I agree to sign" signs, although the quoted request says "I decline"', async () => {
    const reading = await readClientReply(client, 'partner', 'I agree to sign.\nName: Lan Nguyễn\nTitle: Executive Director');
    expect(reading).toMatchObject({ intent: 'agree', name: 'Lan Nguyễn', nameSource: 'name_line', title: 'Executive Director' });
  });

  test('the partner\'s "I decline" with a reason declines, although the quoted request says "I agree to sign"', async () => {
    const reading = await readClientReply(client, 'partner', 'I decline.\nReason: Our funding for this program ended.');
    expect(reading).toMatchObject({ intent: 'decline', reason: 'Our funding for this program ended.' });
  });

  test('a vague reply is unclear, not conflicting', async () => {
    expect(await readClientReply(client, 'partner', 'Thanks, I will read it tonight.')).toMatchObject({
      intent: 'unclear',
      unclear: 'nothing',
    });
  });
});

import { MockActivityEnvironment } from '@temporalio/testing';
import { createFolderDocumentStore } from '../../activities/storage/document-store';
import { sendNotification, type TSendResult } from '../../activities/send-notification';
import type { TNotification } from '../../domain/schemas/notification';
import type { SentMailLog } from '../../activities/storage/sent-mail-log';
import { parseEnv } from '../../config/env';
import { SmtpCatcher } from '../../scripts/smtp-catcher';
import { createMailer } from '../../worker/create-mailer';
import { CONTRACT_SUMMARY } from '../helpers/fixtures';
import { uniqueId } from '../helpers/temporal';

let catcher: SmtpCatcher;
let smtpPort: number;
beforeAll(async () => {
  catcher = new SmtpCatcher();
  smtpPort = await catcher.listen(0);
});
afterAll(() => catcher.close());

test('an email the mail server accepted is not failed when the store is down for its record, so no retry sends it again', async () => {
  // The store answers lookups (nothing sent yet) and then goes down before the record is written.
  const storeDown: SentMailLog = {
    find: () => Promise.resolve(null),
    record: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9000')),
  };
  const send = sendNotification({
    mailer: createMailer(parseEnv({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) })),
    documents: createFolderDocumentStore('test-output/unused-documents'),
    sentMail: storeDown,
    from: 'Community Partnerships Office <cpo@mpls.k12.mn.us>',
    signing: { secret: 'x'.repeat(32), publicUrl: 'http://127.0.0.1:3000', replyDomain: 'localhost' },
    timeZone: 'America/Chicago',
    attestationExpiresAfterMs: 30 * 86_400_000,
  });
  const recipient = `${uniqueId('unrecorded')}@partner.example`;
  const result = await new MockActivityEnvironment().run<[TNotification], TSendResult, typeof send>(send, {
    kind: 'contract_live' as const,
    idempotencyKey: `${recipient}/live`,
    to: [recipient],
    contract: CONTRACT_SUMMARY,
  });

  expect(result.alreadySent).toBe(false);
  const received = await catcher.waitFor((m) => m.envelopeTo.includes(recipient));
  expect(received.parsed.messageId).toBe(result.messageId);
});

import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { createReplyListener, type ReplyListener, type TReplyListenerDeps } from '../../inbound/create-reply-listener';
import { createMailer } from '../../worker/create-mailer';
import type { TRealPipeline } from './real-pipeline';

/** A reply listener wired like production's, on the pipeline's workflows, documents and mail server. */
export const createPipelineListener = (pipeline: TRealPipeline, overrides: Partial<TReplyListenerDeps> = {}): ReplyListener =>
  createReplyListener({
    context: pipeline.context,
    documents: pipeline.documents,
    signingSecret: pipeline.signingSecret,
    mailer: createMailer(pipeline.env),
    mailFrom: pipeline.env.MAIL_FROM,
    replyDomain: pipeline.env.CPO_REPLY_DOMAIN,
    ...overrides,
  });

/** A listener for the test file (started before its tests, closed after), its log lines, and a mail program sending to it. */
export function usePipelineListener(pipeline: TRealPipeline) {
  const logLines: string[] = [];
  let listener: ReplyListener | undefined;
  let port = 0;
  beforeAll(async () => {
    listener = createPipelineListener(pipeline, { log: (line) => logLines.push(line) });
    port = await listener.listen(0);
  });
  afterAll(async () => {
    await listener?.close();
  });
  return { logLines, sendReply: (message: Mail.Options): Promise<void> => sendReplyTo(port, message) };
}

/** A person's mail program: a real SMTP client talking to the listener on `port`. */
export async function sendReplyTo(port: number, message: Mail.Options): Promise<void> {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    await client.sendMail(message);
  } finally {
    client.close();
  }
}

/** The request email quoted the way mail programs do, below the new text, under an attribution naming `sender`. */
export const quotingBelow = (mail: TCaughtMail, text: string, sender: string): string =>
  `${text}\n\nOn Mon, Nov 23, 2026 at 10:00 AM ${sender} wrote:\n${(mail.parsed.text ?? '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')}`;

import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { TCaughtMail } from '../../scripts/smtp-catcher';

/** A person's mail program: a real SMTP client sending one message to the reply listener on `port`. */
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

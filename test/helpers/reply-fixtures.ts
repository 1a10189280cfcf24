import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { escapeHtml } from '../../domain/escape-html';

const FOLDER = path.join(__dirname, '..', 'fixtures', 'replies');

/** The mail programs whose reply formats test/fixtures/replies/ holds, one RFC 822 message each. */
export const REPLY_CLIENTS: string[] = readdirSync(FOLDER)
  .filter((name) => name.endsWith('.eml'))
  .map((name) => name.replace(/\.eml$/, ''))
  .sort();

export interface TReplyFixtureValues {
  /** The signer's address (From). */
  from: string;
  /** The reply address (To). */
  to: string;
  /** The request's subject and Message-ID. */
  subject: string;
  inReplyTo: string;
  /** The reply's own new text, and the request's plain text that the mail program quotes below it. */
  newText: string;
  requestText: string;
}

const html = (text: string): string => text.split('\n').map(escapeHtml).join('<br>');

/** A reply in `client`'s format, as the raw message (CRLF lines) that client would send. */
export function replyFixture(client: string, values: TReplyFixtureValues): string {
  const request = values.requestText.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const fill: Record<string, string> = {
    FROM: values.from,
    TO: values.to,
    SUBJECT: values.subject,
    IN_REPLY_TO: values.inReplyTo,
    NEW: values.newText,
    NEW_HTML: html(values.newText),
    QUOTED: request,
    'QUOTED>': request
      .split('\n')
      .map((line) => (line ? `> ${line}` : '>'))
      .join('\n'),
    QUOTED_HTML: html(request),
  };
  const template = readFileSync(path.join(FOLDER, `${client}.eml`), 'utf8');
  return template.replace(/\{\{([A-Z_>]+)\}\}/g, (_, key: string) => fill[key] ?? `{{${key}}}`).replace(/\r?\n/g, '\r\n');
}

import type { ParsedMail } from 'mailparser';

/** One received reply, as the listener hands it over. */
export interface TInboundMessage {
  /** The envelope sender (MAIL FROM), '' for the null sender of bounces. */
  envelopeFrom: string;
  recipients: readonly string[];
  /** The SMTP client's address: recorded as the signature's IP address. */
  remoteAddress: string;
  parsed: ParsedMail;
}

const headerText = (parsed: ParsedMail, name: string): string => {
  const value = parsed.headers.get(name);
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  // A structured header carries its main text in `value`; the other shapes (lists, dates) are read only for being there.
  if ('value' in value && typeof value.value === 'string') return value.value;
  return JSON.stringify(value);
};

/**
 * RFC 3834: never answer (or act on) automatic mail: out-of-office replies, bounces, mailing lists. A signature
 * must be given by a person, and answering robots makes mail loops.
 */
export function isAutomatic(message: TInboundMessage): boolean {
  const autoSubmitted = headerText(message.parsed, 'auto-submitted').trim().toLowerCase();
  const precedence = headerText(message.parsed, 'precedence').trim().toLowerCase();
  return (
    message.envelopeFrom === '' ||
    (autoSubmitted !== '' && autoSubmitted !== 'no') ||
    ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence) ||
    headerText(message.parsed, 'list-id') !== '' ||
    /^(mailer-daemon|postmaster)@/i.test(message.envelopeFrom)
  );
}

export const fromAddresses = (parsed: ParsedMail): string[] =>
  (parsed.from?.value ?? []).map((a) => (a.address ?? '').toLowerCase()).filter(Boolean);

export const oneLine = (text: string, max: number): string =>
  text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, max);

import { createHash } from 'node:crypto';
import { stripQuoted } from './strip-quoted';

/**
 * How an emailed reply to a signature request is read. Pure: no I/O, no clock. The rules are deliberately simple
 * and are the ones the request email and the automatic answers describe to the signer:
 *
 * 1. Only the new text counts: the reply is cut at the first line that starts the quoted original, whatever the mail
 *    program and its language (see strip-quoted.ts), and lines starting with `>` are dropped wherever they are.
 * 2. Agreement: the new text contains "I agree" / "we agree", "I accept" / "we accept" (optionally with "hereby" or
 *    "do" between) or "agree to sign", case-insensitive, and no negation ("not", "never", "cannot", "can't",
 *    "don't", "won't", "doesn't", "didn't") within two words before "agree"/"accept".
 * 3. Declining: the new text contains the word "decline" or "declined". It needs a reason: a line `Reason: …`, or
 *    at least two other words besides the declining phrase; the reason recorded is that line, or else the whole
 *    new text.
 * 4. Agreeing and declining in the same reply is unclear; so is a reply that does neither.
 * 5. The signer's name: a `Name: …` (or `Full name: …`) line, or such a label after a sentence on the same line
 *    ("I agree to sign. Name: Lan Nguyễn"); else the display name of the From address when it is a name and not an
 *    address. The caller falls back to the designated signer's name. An optional `Title: …` gives the title.
 */
export type TReplyIntent = 'agree' | 'decline' | 'unclear';

export interface TReplyReading {
  intent: TReplyIntent;
  /** Set when the intent is unclear: why. */
  unclear?: 'nothing' | 'conflicting' | 'decline_without_reason';
  name?: string;
  nameSource?: 'name_line' | 'from';
  title?: string;
  /** The decline reason, when the intent is decline. */
  reason?: string;
  /** The new text of the reply, quoted original removed. */
  text: string;
}

const MAX_NAME = 200;
const MAX_REASON = 2000;

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
/** Lower case, straight apostrophes, single spaces: what the word rules look at. */
export const normalize = (text: string): string => collapse(text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'"));

const AGREE = /\b(?:i|we)\s+(?:hereby\s+|do\s+)?(?:agree|accept)\b|\bagree\s+to\s+sign\b/;
const NEGATED_AGREE = /(?:\bnot|\bnever|\bcannot|\bcan't|\bdon't|\bwon't|\bdoesn't|\bdidn't)\s+(?:[\w']+\s+){0,2}(?:agree|accept)\b/;
const DECLINE = /\bdeclined?\b/;
/** The declining phrase itself, removed before counting the words of a reason. */
const DECLINE_PHRASE =
  /\b(?:(?:i|we)\s+)?(?:(?:must|have\s+to|will|hereby|respectfully|regretfully)\s+)*declined?\b(?:\s+to\s+sign)?(?:\s+(?:the|this)\s+contract)?/g;

const labelled = (text: string, label: string): string | undefined => {
  const match = new RegExp(`(?:^|[.;,!?]\\s+)${label}\\s*:[ \\t]*(.+)$`, 'im').exec(text);
  return match?.[1];
};

function nameLine(text: string): string | undefined {
  const raw = labelled(text, '(?:full\\s+)?name');
  if (!raw) return undefined;
  // "Name: Lan Nguyễn, Title: Director" on one line: the name stops at the next label.
  const name = raw
    .split(/[,;]\s*title\s*:/i)[0]!
    .trim()
    .replace(/^["'“”]+|["'“”]+$/g, '')
    .replace(/[.;,]+$/, '')
    .trim();
  return name ? name.slice(0, MAX_NAME) : undefined;
}

function titleLine(text: string): string | undefined {
  const raw = labelled(text, 'title');
  const title = raw
    ?.split(/[,;]\s*name\s*:/i)[0]!
    .trim()
    .replace(/[.;,]+$/, '')
    .trim();
  return title ? title.slice(0, MAX_NAME) : undefined;
}

/** A From display name that is a person's name, not an address or a placeholder. */
function displayName(fromName: string | undefined): string | undefined {
  const name = collapse(fromName ?? '').replace(/^["']+|["']+$/g, '');
  if (!name || name.includes('@') || !/\p{L}/u.test(name)) return undefined;
  return name.slice(0, MAX_NAME);
}

/** `sent`: lines of the request we sent that any quote of it contains (see requestMarkers). */
export function readReply(input: { text: string; fromName?: string; sent?: readonly string[] }): TReplyReading {
  const text = stripQuoted(input.text, input.sent);
  const words = normalize(text);
  const fromLine = nameLine(text);
  const fromHeader = fromLine ? undefined : displayName(input.fromName);
  const title = titleLine(text);
  const who = {
    ...(fromLine
      ? { name: fromLine, nameSource: 'name_line' as const }
      : fromHeader
        ? { name: fromHeader, nameSource: 'from' as const }
        : {}),
    ...(title ? { title } : {}),
  };

  const agrees = AGREE.test(words) && !NEGATED_AGREE.test(words);
  const declines = DECLINE.test(words);
  if (agrees && declines) return { intent: 'unclear', unclear: 'conflicting', text, ...who };
  if (agrees) return { intent: 'agree', text, ...who };
  if (!declines) return { intent: 'unclear', unclear: 'nothing', text, ...who };

  const reason = reasonGiven(text, DECLINE_PHRASE);
  if (!reason) return { intent: 'unclear', unclear: 'decline_without_reason', text, ...who };
  return { intent: 'decline', reason, text, ...who };
}

/**
 * The reason a reply gives for declining or sending back (`phrase` matches the words that say which): a line
 * `Reason: …`, or else the whole new text when it has at least two words besides that phrase.
 */
export function reasonGiven(text: string, phrase: RegExp): string | undefined {
  const reasonLine = labelled(text, 'reason')?.trim();
  if (reasonLine && reasonLine.length >= 3) return reasonLine.slice(0, MAX_REASON);
  const withoutLabels = text
    .split('\n')
    .filter((line) => !/^\s*(?:full\s+)?(?:name|title)\s*:/i.test(line))
    .join('\n');
  const otherWords =
    normalize(withoutLabels)
      .replace(phrase, ' ')
      .match(/\p{L}[\p{L}'-]*/gu) ?? [];
  return otherWords.length < 2 ? undefined : collapse(withoutLabels).slice(0, MAX_REASON);
}

/** At most this many attachments are looked at; a message with more has all of them ignored. */
export const MAX_ATTACHMENTS = 5;

export interface TAttachmentLike {
  filename?: string | undefined;
  contentType?: string | undefined;
  content: Uint8Array;
}

export interface TAttachedPdfs {
  /** SHA-256 (hex) of each attached PDF. */
  pdfSha256: string[];
  /** Attachments that are not PDFs (logos, images), ignored. */
  ignored: number;
  /** More than MAX_ATTACHMENTS: none was opened. */
  tooMany: boolean;
}

const isPdf = (a: TAttachmentLike): boolean =>
  a.contentType?.toLowerCase() === 'application/pdf' ||
  /\.pdf$/i.test(a.filename ?? '') ||
  Buffer.from(a.content.subarray(0, 5)).toString('latin1') === '%PDF-';

/** The PDFs of a reply, by hash: only hashed, never opened or rendered. Anything else is ignored. */
export function attachedPdfs(attachments: readonly TAttachmentLike[]): TAttachedPdfs {
  if (attachments.length > MAX_ATTACHMENTS) return { pdfSha256: [], ignored: attachments.length, tooMany: true };
  const pdfs = attachments.filter(isPdf);
  return {
    pdfSha256: pdfs.map((a) => createHash('sha256').update(a.content).digest('hex')),
    ignored: attachments.length - pdfs.length,
    tooMany: false,
  };
}

export type TReplyDecision =
  | { action: 'sign'; by: 'text' | 'pdf'; name?: string; title?: string }
  | { action: 'decline'; reason: string; name?: string }
  | { action: 'answer'; problem: 'unclear' | 'conflicting' | 'decline_without_reason' | 'different_pdf' | 'district_cannot_decline' };

/**
 * What a reply from the right signer, to a request that can still be signed, does:
 * - a PDF identical (SHA-256) to the contract on record signs, unless the text declines (then it is conflicting);
 * - declining words with a reason decline (partner only), whatever other PDF is attached;
 * - otherwise any other PDF refuses, even with agreeing words: the signer may have changed the document;
 * - otherwise agreeing words sign;
 * - anything else changes nothing and is answered.
 */
export function decideReply(
  reading: TReplyReading,
  pdfs: TAttachedPdfs,
  contract: { sha256: string; role: 'partner' | 'district' },
): TReplyDecision {
  const who = { ...(reading.name ? { name: reading.name } : {}) };
  const sameDocument = pdfs.pdfSha256.includes(contract.sha256);
  if (sameDocument) {
    const declining = reading.intent === 'decline' || reading.unclear === 'decline_without_reason' || reading.unclear === 'conflicting';
    if (declining) return { action: 'answer', problem: 'conflicting' };
    return { action: 'sign', by: 'pdf', ...who, ...(reading.title ? { title: reading.title } : {}) };
  }
  if (pdfs.pdfSha256.length > 0 && reading.intent !== 'decline') return { action: 'answer', problem: 'different_pdf' };
  if (reading.intent === 'agree') return { action: 'sign', by: 'text', ...who, ...(reading.title ? { title: reading.title } : {}) };
  if (reading.intent === 'decline') {
    if (contract.role !== 'partner') return { action: 'answer', problem: 'district_cannot_decline' };
    return { action: 'decline', reason: reading.reason!, ...who };
  }
  return {
    action: 'answer',
    problem: reading.unclear === 'conflicting' || reading.unclear === 'decline_without_reason' ? reading.unclear : 'unclear',
  };
}

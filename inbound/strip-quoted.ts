import { REPLY_PREFIXES } from '../domain/vocabulary';

/**
 * The reply's own new text: what precedes the quoted original, however the mail program quoted it and in whatever
 * language. Pure. A reply is cut at the first line that starts a quote:
 * - a line of the request we sent (`sent`: its greeting, its fingerprint line), with or without quote marks: this
 *   holds for any program, also one that pastes the original below the reply with no header at all;
 * - a reply address of ours (`sign+<token>@…`), as quote headers name the sender;
 * - GroupWise's `>>> Name <address> date >>>`;
 * - a separator with words: `-----Original Message-----` and its translations (`-----Ursprüngliche Nachricht-----`,
 *   `-----Mensaje original-----`…), `---------- Forwarded message ---------`; a rule of 10 or more `_` or `-` (what
 *   an HTML-only Outlook reply's rule becomes); the signature delimiter `-- `;
 * - an attribution line ending in ":" with a "wrote" verb in one of many languages (`On … wrote:`, `Am … schrieb …:`,
 *   `Le … a écrit :`, `El … escribió:`, `… 寫道：`…), also when wrapped over up to three lines;
 * - a header block: a From label (`From:`, `De :`, `Von:`, `Da:`, `Van:`, `Från:`, `Fra:`, `От:`, `寄件者:`…)
 *   followed within five lines by a Sent/Date label (`Sent:`, `Envoyé :`, `Gesendet:`, `Enviado:`, `Отправлено:`,
 *   `寄件日期:`…), also in bold (`*From:*`).
 * Lines starting with `>` are dropped wherever they are.
 */
export function stripQuoted(text: string, sent: readonly string[] = []): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex((_, i) => startsQuote(lines, i, sent));
  return lines
    .slice(0, end < 0 ? lines.length : end)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .trim();
}

/** The lines of a signature request that any quote of it contains: the quote starts at the first of them. */
export const requestMarkers = (signerName: string, documentSha256: string): string[] => [
  `Dear ${signerName},`,
  `Document SHA-256: ${documentSha256}`,
];

const SEPARATORS: RegExp[] = [
  /^-{2,}\s*\S.{0,60}?\s*-{2,}$/, // -----Original Message----- in any language, ---------- Forwarded message ---------
  /^[-_]{10,}$/,
  /^--\s?$/,
  /^>>>.*>>>$/, // GroupWise
  // One of our reply addresses (any kind of request), named by a quote header.
  new RegExp(`\\b(?:${REPLY_PREFIXES.join('|')})\\+[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}@`),
];

// Not \b: JavaScript's word boundary knows only ASCII letters.
const WROTE =
  /(?:^|\s)(?:wrote|schrieb|a\s+écrit|escribió|escreveu|ha\s+scritto|schreef|skrev|kirjoitti|napisał(?:\(a\))?|написал(?:\(а\)|а)?|пишет|đã viết|yazdı)(?:\s.*)?[:：]$|(?:寫道|写道)\s*[:：]?$/i;
/** How a wrapped attribution's first line begins: "On", "Am", "Le", "El", "Il", "Op", "Em", "Den", "W dniu", "Vào", "於", or a date. */
const ATTRIBUTION_START = /^(?:on|am|le|el|il|op|em|den|dnia|w\s+dniu|в|vào|於|在)\s|^\d/i;
const FROM_LABEL = /^\*?(?:from|de|von|da|van|från|fra|od|от|寄件者|发件人|發件人|lähettäjä|feladó|kimden|từ)\*?\s*[:：]/i;
const SENT_LABEL =
  /^\*?(?:sent|date|envoyé|gesendet|enviado|inviato|verzonden|skickat|sendt|wysłano|отправлено|дата|寄件日期|发送时间|發送時間|傳送時間|lähetetty|elküldve|gönderildi|ngày gửi|data|datum|fecha)\*?\s*[:：]/i;

const unquoted = (line: string): string => line.replace(/^(?:\s*>)+/, '').trim();

function startsQuote(lines: readonly string[], i: number, sent: readonly string[]): boolean {
  const line = lines[i]!.trim();
  if (!line) return false;
  if (sent.some((start) => unquoted(line).startsWith(start))) return true;
  if (SEPARATORS.some((pattern) => pattern.test(line))) return true;
  if (FROM_LABEL.test(line) && lines.slice(i + 1, i + 6).some((next) => SENT_LABEL.test(next.trim()))) return true;
  // An attribution ending in ":" with a "wrote" verb: on this line, or wrapped over up to three unbroken lines from
  // one that begins like an attribution (so that the reply's own last line is never taken for its start).
  if (WROTE.test(line)) return true;
  if (!ATTRIBUTION_START.test(unquoted(line))) return false;
  for (let last = i + 1; last < Math.min(i + 3, lines.length) && lines[last]!.trim(); last++) {
    if (
      WROTE.test(
        lines
          .slice(i, last + 1)
          .map((l) => l.trim())
          .join(' '),
      )
    )
      return true;
  }
  return false;
}

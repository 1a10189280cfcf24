import { REPLY_PREFIXES, type TReplyPrefix } from '../domain/vocabulary';

const PREFIX = REPLY_PREFIXES.join('|');
const REPLY_LOCAL_PART = new RegExp(`^(${PREFIX})\\+(.+)$`, 'i');
const REPLY_TOKEN_IN_TEXT = new RegExp(`\\b(${PREFIX})\\+[^@\\s>]+`, 'gi');

/** The kind and token of `<prefix>+<token>@<replyDomain>`, or undefined for any other address. */
export function replyTokenOf(address: string, replyDomain: string): { prefix: TReplyPrefix; token: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  const match = REPLY_LOCAL_PART.exec(address.slice(0, at));
  return match ? { prefix: match[1]!.toLowerCase() as TReplyPrefix, token: match[2]! } : undefined;
}

/** Never log a token: it grants the right to sign, approve or affirm. Redacts every reply address in `text`. */
export const redactReplyTokens = (text: string): string => text.replace(REPLY_TOKEN_IN_TEXT, '$1+[token]');

import type { TReplyPrefix } from '../domain/vocabulary';

/** The kind and token of `<prefix>+<token>@<replyDomain>`, or undefined for any other address. */
export function replyTokenOf(address: string, replyDomain: string): { prefix: TReplyPrefix; token: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  const match = /^(sign|approve|attest|record)\+(.+)$/i.exec(address.slice(0, at));
  return match ? { prefix: match[1]!.toLowerCase() as TReplyPrefix, token: match[2]! } : undefined;
}

/** Never log a token: it grants the right to sign, approve or affirm. */
export const redactReplyAddress = (address: string): string => address.replace(/^((?:sign|approve|attest|record)\+)[^@]*/i, '$1[token]');

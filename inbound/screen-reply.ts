import { fromAddresses, isAutomatic, type TInboundMessage } from './reply-sender';

type TTokenRefusal = 'malformed' | 'forged' | 'expired';
export type TScreenOutcome = 'ignored_automatic' | 'wrong_sender' | TTokenRefusal;

/**
 * Whether a reply is worth reading, before anything is opened. Pure. An automatic reply (out of office, a bounce) is
 * ignored; a token that does not verify (any more) gets no answer, as the listener refused it at RCPT TO; the reply
 * must come from the address the request went to, as the envelope sender or in From (`claims` say whose it was not).
 */
export function screenReply<C extends { email: string }>(
  message: TInboundMessage,
  check: { ok: true; claims: C } | { ok: false; reason: TTokenRefusal },
): { ok: true; claims: C } | { ok: false; outcome: TScreenOutcome; claims?: C } {
  if (isAutomatic(message)) return { ok: false, outcome: 'ignored_automatic' };
  if (!check.ok) return { ok: false, outcome: check.reason };
  const addressee = check.claims.email.toLowerCase();
  if (message.envelopeFrom.toLowerCase() !== addressee && !fromAddresses(message.parsed).includes(addressee)) {
    return { ok: false, outcome: 'wrong_sender', claims: check.claims };
  }
  return { ok: true, claims: check.claims };
}

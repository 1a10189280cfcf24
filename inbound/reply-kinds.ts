import type { TReplyPrefix } from '../domain/vocabulary';
import { verifyAgencyRecordToken } from '../security/agency-record-token';
import { verifyApprovalToken } from '../security/approval-token';
import { verifyAttestationToken } from '../security/attestation-token';
import { verifySigningToken } from '../security/signing-token';
import { handleAffirmationReply, type TAffirmationReplyOutcome } from './handle-affirmation-reply';
import { handleApprovalReply, type TApprovalReplyOutcome } from './handle-approval-reply';
import { handleAttestationReply, type TAttestationReplyOutcome } from './handle-attestation-reply';
import { handleSigningReply } from './handle-signing-reply';
import type { TSigningReplyOutcome } from './decide-signing-reply';
import { replyTokenOf } from './reply-address';
import type { TInboundMessage } from './reply-sender';
import type { TReplyHandlerDeps } from './send-answer';

export type TReplyOutcome =
  'not_a_reply_address' | TSigningReplyOutcome | TApprovalReplyOutcome | TAttestationReplyOutcome | TAffirmationReplyOutcome;

export interface TReplyResult {
  outcome: TReplyOutcome;
  contractId?: string;
  /** Set for replies to attestation and agency record requests. */
  partnerId?: string;
  /** Where the automatic answer went, if one did. */
  answeredTo?: string;
}

interface TReplyKind {
  verify: (token: string, secret: string, nowMs: number) => { ok: true } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };
  handle: (deps: TReplyHandlerDeps, message: TInboundMessage, token: string) => Promise<TReplyResult>;
  /** How a refusal at RCPT TO names the request, where else to answer it, and what to do once it expired. */
  request: string;
  link: string;
  whenExpired: string;
}

const SEND_A_NEW_ONE = 'ask the Community Partnerships Office to send a new one';

/** Every request that can be answered by email, by the prefix of its reply address. */
export const REPLY_KINDS: Record<TReplyPrefix, TReplyKind> = {
  sign: {
    verify: verifySigningToken,
    handle: handleSigningReply,
    request: 'signature request',
    link: 'signing link',
    whenExpired: SEND_A_NEW_ONE,
  },
  attest: {
    verify: verifyAttestationToken,
    handle: handleAttestationReply,
    request: 'attestation request',
    link: 'signing link',
    whenExpired: SEND_A_NEW_ONE,
  },
  approve: {
    verify: verifyApprovalToken,
    handle: handleApprovalReply,
    request: 'approval request',
    link: 'link',
    whenExpired: 'ask the Community Partnerships Office about the contract',
  },
  record: {
    verify: verifyAgencyRecordToken,
    handle: handleAffirmationReply,
    request: 'request',
    link: 'link',
    whenExpired: SEND_A_NEW_ONE,
  },
};

/**
 * Why RCPT TO refuses an address (550), or null to accept it: only reply addresses whose token the district issued
 * and that has not expired. The sender's own server tells the sender, and no message of ours goes out for it.
 */
export function recipientRefusal(address: string, replyDomain: string, secret: string, nowMs: number): string | null {
  const found = replyTokenOf(address, replyDomain);
  if (!found) return 'No such mailbox: replies go to the address in the signature request';
  const kind = REPLY_KINDS[found.prefix];
  const check = kind.verify(found.token, secret, nowMs);
  if (check.ok) return null;
  switch (check.reason) {
    case 'malformed':
      return `No such reply address: it is incomplete or damaged. Reply to the most recent ${kind.request}, or use its ${kind.link}`;
    case 'forged':
      return `No such reply address: it was not issued by the district. Reply to the most recent ${kind.request}, or use its ${kind.link}`;
    case 'expired':
      return `This ${kind.request} has expired: ${kind.whenExpired}`;
  }
}

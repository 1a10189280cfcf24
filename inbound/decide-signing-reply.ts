import type { TOpenedRequest } from '../client/open-signing-request';
import type { TContractStatus } from '../domain/schemas/contract';
import { attachedPdfs, decideReply, MAX_ATTACHMENTS, readReply } from './read-reply';
import type { TSigningClaims } from '../security/signing-token';
import { oneLine, type TInboundMessage } from './reply-sender';
import { NOT_AWAITED_TEXT, problemText, refusalText, type TReplyProblem } from './signing-reply-texts';
import type { TScreenOutcome } from './screen-reply';
import { requestMarkers } from './strip-quoted';

export type TSigningReplyOutcome =
  'signed' | 'declined' | 'refused' | TScreenOutcome | Exclude<TOpenedRequest, { ok: true }>['reason'] | TReplyProblem;

/** An automatic answer to the signer. */
export interface TSignerAnswer {
  outcome: TSigningReplyOutcome;
  subject: string;
  text: string;
  attachContract?: TContractStatus;
  /** A signature or decline just recorded: its answer is not limited. */
  confirmsRecord?: boolean;
  /** Where a reply to the answer goes: the request again (to fix what was missing), or the office. */
  replyTo: 'request' | 'office';
}

/** What the origin of a signature or decline by email records. */
interface TReplyOrigin {
  ipAddress: string;
  userAgent: string;
}

/** What one reply to a signature request does: nothing, answer only, or sign or decline and then confirm. */
export type TSigningReplyPlan =
  | { action: 'none'; outcome: TSigningReplyOutcome }
  | { action: 'answer'; answer: TSignerAnswer }
  | {
      action: 'sign';
      signature: {
        role: TSigningClaims['role'];
        name: string;
        title?: string;
        email: string;
        requestNumber: number;
        documentSha256: string;
      } & TReplyOrigin;
      answer: TSignerAnswer;
    }
  | {
      action: 'decline';
      decline: { by: { name: string; email: string }; reason: string; requestNumber: number } & TReplyOrigin;
      answer: TSignerAnswer;
    };

/** What a reply from the right signer does, given the request its token opens. Pure: no I/O, no clock. */
export function decideSigningReply(message: TInboundMessage, opened: TOpenedRequest): TSigningReplyPlan {
  if (!opened.ok) {
    // A token that does not verify (any more) gets no answer; the listener refused it at RCPT TO.
    if (!('claims' in opened)) return { action: 'none', outcome: opened.reason };
    return {
      action: 'answer',
      answer: { outcome: opened.reason, subject: 'Reply refused', text: refusalText(opened), replyTo: 'request' },
    };
  }
  const { claims, status } = opened;
  const { parsed } = message;
  const designated = claims.role === 'partner' ? status.request.partnerSigner.name : status.districtSigner.name;
  // Only the reply's own text counts: it ends where a quote of the request we sent begins.
  const sent = status.signing ? requestMarkers(designated, status.signing.document.sha256) : [];
  const reading = readReply({
    text: parsed.text ?? '',
    sent,
    ...(parsed.from?.value[0]?.name ? { fromName: parsed.from.value[0].name } : {}),
  });
  const pdfs = attachedPdfs(
    parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: new Uint8Array(a.content) })),
  );
  const note = pdfs.tooMany ? ` Your email had more than ${MAX_ATTACHMENTS} attachments, so none of them was read.` : '';
  const document = status.signing?.document;
  if (!document)
    return { action: 'answer', answer: { outcome: 'not_awaited', subject: 'Not signed', text: NOT_AWAITED_TEXT, replyTo: 'request' } };
  const decision = decideReply(reading, pdfs, { sha256: document.sha256, role: claims.role });

  if (decision.action === 'answer') {
    const attach = decision.problem === 'unclear' || decision.problem === 'different_pdf';
    const text = `${problemText(decision.problem, claims, status)}${note}`;
    return {
      action: 'answer',
      answer: { outcome: decision.problem, subject: 'Not signed', text, replyTo: 'request', ...(attach ? { attachContract: status } : {}) },
    };
  }
  const name = decision.name ?? designated;
  const origin = {
    ipAddress: message.remoteAddress.replace(/^::ffff:/i, '').slice(0, 100),
    userAgent: oneLine(`email reply ${parsed.messageId ?? '(no Message-ID)'}`, 500),
  };
  if (decision.action === 'sign') {
    const how = decision.by === 'pdf' ? 'returning the contract PDF unchanged' : 'your written agreement';
    return {
      action: 'sign',
      signature: {
        role: claims.role,
        name,
        ...(decision.title ? { title: decision.title } : {}),
        email: claims.email,
        requestNumber: claims.requestNumber,
        documentSha256: document.sha256,
        ...origin,
      },
      answer: {
        outcome: 'signed',
        subject: 'Signature recorded',
        text: `Thank you, ${name}. Your signature on contract ${claims.contractId} (request #${claims.requestNumber}) is recorded, by ${how}, on the document with SHA-256 ${document.sha256}. You will receive the final signed contract by email.`,
        confirmsRecord: true,
        replyTo: 'office',
      },
    };
  }
  return {
    action: 'decline',
    decline: { by: { name, email: claims.email }, reason: decision.reason, requestNumber: claims.requestNumber, ...origin },
    answer: {
      outcome: 'declined',
      subject: 'Decline recorded',
      text: `The contract ${claims.contractId} is declined, with your reason: "${decision.reason}". The district has been told.`,
      confirmsRecord: true,
      replyTo: 'office',
    },
  };
}

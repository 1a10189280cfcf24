import type { TReplyPrefix } from '../domain/vocabulary';
import { declineContract, signContract } from '../client/contracts';
import { isRefusal } from '../client/errors';
import type { TContractStatus } from '../domain/schemas/contract';
import { openSigningRequest, type TOpenRefusal } from '../client/open-signing-request';
import { verifySigningToken, type TSigningClaims } from '../security/signing-token';
import { handleAffirmationReply, type TAffirmationReplyOutcome } from './handle-affirmation-reply';
import { handleAttestationReply, type TAttestationReplyOutcome } from './handle-attestation-reply';
import { attachedPdfs, decideReply, MAX_ATTACHMENTS, readReply, type TReplyDecision } from './read-reply';
import { sendAnswer, type TAnswer, type TReplyHandlerDeps } from './send-answer';
import { fromAddresses, isAutomatic, oneLine, type TInboundMessage } from './reply-sender';
import { handleApprovalReply, type TApprovalReplyOutcome } from './handle-approval-reply';
import { requestMarkers } from './strip-quoted';

export type { TReplyHandlerDeps };

export type { TInboundMessage };

export type TReplyOutcome =
  | 'signed'
  | 'declined'
  | 'ignored_automatic'
  | 'not_a_reply_address'
  | 'wrong_sender'
  | 'refused'
  | TApprovalReplyOutcome
  | TOpenRefusal['reason']
  | TAttestationReplyOutcome
  | TAffirmationReplyOutcome
  | Extract<TReplyDecision, { action: 'answer' }>['problem'];

export interface TReplyResult {
  outcome: TReplyOutcome;
  contractId?: string;
  /** Set for replies to attestation and agency record requests. */
  partnerId?: string;
  /** Where the automatic answer went, if one did. */
  answeredTo?: string;
}

/** The token of `<prefix>+<token>@<replyDomain>` (`sign+` by default), or undefined for any other address. */
export function tokenOfReplyAddress(address: string, replyDomain: string, prefix: TReplyPrefix = 'sign'): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return new RegExp(`^${prefix}\\+(.+)$`, 'i').exec(address.slice(0, at))?.[1];
}

/** Never log a token: it grants the right to sign. */
export const redactReplyAddress = (address: string): string => address.replace(/^((?:sign|approve|attest|record)\+)[^@]*/i, '$1[token]');


/** Refusals of a genuine token; the listener refuses the others at RCPT TO, so nothing is sent for them. */
const REFUSALS: Record<Exclude<TOpenRefusal['reason'], 'malformed' | 'forged' | 'expired'>, string> = {
  not_found: 'This reply address points at a contract that does not exist.',
  already_signed: 'This contract was already signed for this request. You will receive the final signed contract by email.',
  superseded:
    'A newer signature request replaced the one you replied to. Reply to the most recent signature request email (or use its signing link) instead.',
  not_awaited: 'This contract is not waiting for this signature.',
};

const ASK =
  'To sign by email, reply to the signature request email from the address it was sent to, with the words "I agree to sign" and your full name on a line of its own, such as "Name: …" (and "Title: …" if you like); or return the contract PDF attached to the request unchanged. You can also use the signing link in the request email.';

function problemText(problem: Extract<TReplyDecision, { action: 'answer' }>['problem'], claims: TSigningClaims, status: TContractStatus): string {
  const contract = `contract ${claims.c} (request #${claims.n})`;
  switch (problem) {
    case 'unclear':
      return `Your reply did not say that you agree to sign ${contract}, so nothing was recorded. ${ASK}${
        claims.r === 'partner' ? ' To decline instead, reply with "I decline" and the reason.' : ''
      }`;
    case 'conflicting':
      return `Your reply both agrees to sign and declines ${contract}, so nothing was recorded. Reply again with only one of them: "I agree to sign" with your full name ("Name: …"), or "I decline" with the reason.`;
    case 'decline_without_reason':
      return `To decline ${contract}, please say why: reply with "I decline" and the reason, for example on a line "Reason: …". Nothing was recorded yet.`;
    case 'different_pdf':
      return `The PDF attached to your reply is not the contract on record for ${contract} (its SHA-256 fingerprint differs from ${status.signing?.document.sha256 ?? 'the one on record'}), so nothing was recorded. The district records signatures only on the document it sent. Return the attached PDF unchanged, or reply with "I agree to sign" and your full name ("Name: …") without attaching a changed file. If the contract needs changes, contact the Community Partnerships Office.`;
    case 'district_cannot_decline':
      return `Only the partner can decline a contract; nothing was recorded for ${contract}. To stop it, the Community Partnerships Office can void it.`;
  }
}

/**
 * Handles one received reply to signature requests: for each `sign+<token>` recipient, opens the request (the
 * same checks as the signing page), checks the sender, reads the reply and signs, declines, or answers what is
 * missing. Refusals and answers change nothing. Throws only on unexpected failures (Temporal unreachable), so
 * the SMTP layer can answer 451 and the sending server tries again later.
 */
export async function handleReply(deps: TReplyHandlerDeps, message: TInboundMessage): Promise<TReplyResult[]> {
  const log = deps.log ?? (() => undefined);
  const sender = message.envelopeFrom.toLowerCase();
  const results: TReplyResult[] = [];
  const seen = new Set<string>();
  for (const recipient of message.recipients) {
    const token = tokenOfReplyAddress(recipient, deps.replyDomain);
    const approvalToken = token ? undefined : tokenOfReplyAddress(recipient, deps.replyDomain, 'approve');
    const shown = redactReplyAddress(recipient);
    if (approvalToken) {
      if (seen.has(approvalToken)) continue;
      seen.add(approvalToken);
      const result = await handleApprovalReply(deps, message, approvalToken);
      log(`[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.contractId ? ` (contract ${result.contractId})` : ''}`);
      results.push(result);
      continue;
    }
    const attestationToken = tokenOfReplyAddress(recipient, deps.replyDomain, 'attest');
    const recordToken = tokenOfReplyAddress(recipient, deps.replyDomain, 'record');
    const partnerToken = attestationToken ?? recordToken;
    if (partnerToken && !seen.has(partnerToken)) {
      seen.add(partnerToken);
      const result = attestationToken ? await handleAttestationReply(deps, message, attestationToken) : await handleAffirmationReply(deps, message, partnerToken);
      log(`[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.partnerId ? ` (partner ${result.partnerId})` : ''}${result.answeredTo ? `, answered ${result.answeredTo}` : ''}`);
      results.push(result);
      continue;
    }
    if (!token) {
      results.push({ outcome: 'not_a_reply_address' });
      continue;
    }
    if (seen.has(token)) continue;
    seen.add(token);
    const result = await handleOne(deps, message, token);
    log(
      `[reply] to ${shown} from ${sender || '<>'}: ${result.outcome}${result.contractId ? ` (contract ${result.contractId})` : ''}${
        result.answeredTo ? `, answered ${result.answeredTo}` : ''
      }`,
    );
    results.push(result);
  }
  return results;
}

async function handleOne(deps: TReplyHandlerDeps, message: TInboundMessage, token: string): Promise<TReplyResult> {
  const { parsed } = message;
  if (isAutomatic(message)) return { outcome: 'ignored_automatic' };
  // The listener refused a token that does not verify at RCPT TO; one that expired since gets no answer either.
  const check = verifySigningToken(token, deps.signingSecret, Date.now());
  if (!check.ok) return { outcome: check.reason };
  const { claims } = check;
  // The reply must come from the signer the request was sent to: the envelope sender or the From address. Anyone
  // else gets no answer from us (the listener refuses the message in the SMTP exchange instead).
  const signer = claims.e.toLowerCase();
  if (message.envelopeFrom.toLowerCase() !== signer && !fromAddresses(parsed).includes(signer)) return { outcome: 'wrong_sender', contractId: claims.c };

  const done = (outcome: TReplyOutcome, answeredTo: string | undefined): TReplyResult => ({
    outcome,
    contractId: claims.c,
    ...(answeredTo ? { answeredTo } : {}),
  });
  // Answers go to the signer's own address only, and replying to an answer reaches this request again.
  const toSigner = (outcome: TReplyOutcome, text: string, options: Partial<Pick<TAnswer, 'subject' | 'attachContract' | 'replyTo' | 'confirmsRecord'>> = {}) =>
    sendAnswer(deps, claims, parsed.messageId, { outcome, text, subject: 'Not signed', replyTo: `sign+${token}@${deps.replyDomain}`, ...options });

  const opened = await openSigningRequest(deps.context, deps.signingSecret, token, Date.now());
  if (!opened.ok) {
    if (opened.reason === 'malformed' || opened.reason === 'forged' || opened.reason === 'expired') return done(opened.reason, undefined);
    const text =
      opened.reason === 'not_awaited'
        ? `${REFUSALS.not_awaited} It is ${opened.stage.replace(/_/g, ' ')}.`
        : opened.reason === 'already_signed'
          ? REFUSALS.already_signed
          : `${REFUSALS[opened.reason]} Nothing was recorded.`;
    return done(opened.reason, await toSigner(opened.reason, text, { subject: 'Reply refused' }));
  }
  const { status } = opened;

  const designated = claims.r === 'partner' ? status.request.partnerSigner.name : status.districtSigner.name;
  // Only the reply's own text counts: it ends where a quote of the request we sent begins.
  const sent = status.signing ? requestMarkers(designated, status.signing.document.sha256) : [];
  const reading = readReply({ text: parsed.text ?? '', sent, ...(parsed.from?.value[0]?.name ? { fromName: parsed.from.value[0].name } : {}) });
  const pdfs = attachedPdfs(
    parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: new Uint8Array(a.content) })),
  );
  const note = pdfs.tooMany ? ` Your email had more than ${MAX_ATTACHMENTS} attachments, so none of them was read.` : '';
  const document = status.signing?.document;
  if (!document) return done('not_awaited', await toSigner('not_awaited', `${REFUSALS.not_awaited} Nothing was recorded.`));
  const decision = decideReply(reading, pdfs, { sha256: document.sha256, role: claims.r });

  if (decision.action === 'answer') {
    const attach = decision.problem === 'unclear' || decision.problem === 'different_pdf';
    return done(
      decision.problem,
      await toSigner(decision.problem, `${problemText(decision.problem, claims, status)}${note}`, attach ? { attachContract: status } : {}),
    );
  }

  const name = decision.name ?? designated;
  const origin = {
    ipAddress: message.remoteAddress.replace(/^::ffff:/i, '').slice(0, 100),
    userAgent: oneLine(`email reply ${parsed.messageId ?? '(no Message-ID)'}`, 500),
  };
  try {
    if (decision.action === 'sign') {
      await signContract(deps.context, claims.c, {
        role: claims.r,
        name,
        ...(decision.title ? { title: decision.title } : {}),
        email: claims.e,
        consent: true,
        method: 'email_reply',
        requestNumber: claims.n,
        documentSha256: document.sha256,
        ...origin,
      });
      const how = decision.by === 'pdf' ? 'returning the contract PDF unchanged' : 'your written agreement';
      return done(
        'signed',
        await toSigner('signed', `Thank you, ${name}. Your signature on contract ${claims.c} (request #${claims.n}) is recorded, by ${how}, on the document with SHA-256 ${document.sha256}. You will receive the final signed contract by email.`, {
          subject: 'Signature recorded',
          replyTo: deps.mailFrom,
          confirmsRecord: true,
        }),
      );
    }
    await declineContract(deps.context, claims.c, {
      by: { name, email: claims.e },
      reason: decision.reason,
      requestNumber: claims.n,
      ...origin,
    });
    return done(
      'declined',
      await toSigner('declined', `The contract ${claims.c} is declined, with your reason: "${decision.reason}". The district has been told.`, {
        subject: 'Decline recorded',
        replyTo: deps.mailFrom,
        confirmsRecord: true,
      }),
    );
  } catch (error) {
    // The workflow's validator refused (a resend or the other signer got there first): nothing changed. An outage
    // is thrown on, so that the sender's server gets 451 and sends the reply again.
    if (!isRefusal(error)) throw error;
    return done('refused', await toSigner('refused', `Your reply could not be recorded: ${error.message.replace(/^Refused:\s*/, '')}. Nothing was changed.`, { subject: 'Reply refused', replyTo: deps.mailFrom }));
  }
}

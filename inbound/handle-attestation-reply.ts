import { replyAddressFor } from '../activities/send-notification';
import { signAttestation } from '../client/partners';
import { isRefusal } from '../client/errors';
import { openAttestationRequest, type TAttestationRefusal } from '../client/open-attestation-request';
import { verifyAttestationToken } from '../security/attestation-token';
import { attachedPdfs, decideReply, MAX_ATTACHMENTS, readReply } from './read-reply';
import { oneLine, type TInboundMessage } from './reply-sender';
import { screenReply } from './screen-reply';
import { answerReply, refusedReplyText, type TReplyHandlerDeps } from './send-answer';
import { requestMarkers } from './strip-quoted';

export type TAttestationReplyOutcome =
  | 'attestation_signed'
  | 'attestation_unclear'
  | 'attestation_different_pdf'
  | 'ignored_automatic'
  | 'wrong_sender'
  | 'refused'
  | TAttestationRefusal['reason'];

export interface TAttestationReplyResult {
  outcome: TAttestationReplyOutcome;
  partnerId?: string;
  answeredTo?: string;
}

const ASK =
  'To sign the attestation by email, reply to the attestation request from the address it was sent to, with the words "I agree to sign" and your full name and title on lines of their own ("Name: …", "Title: …"); or return the attestation PDF attached to the request unchanged. You can also use the signing link in the request email.';

const REFUSALS: Record<Exclude<TAttestationRefusal['reason'], 'malformed' | 'forged' | 'expired'>, string> = {
  not_found: 'This reply address does not point at an attestation form of this partner and school year. Nothing was recorded.',
  already_signed: 'The attestation for this school year is already signed. Nothing more is needed.',
  superseded:
    'A newer attestation request replaced the one you replied to. Reply to the most recent attestation email (or use its signing link) instead. Nothing was recorded.',
  not_representative: 'This request was sent to someone who is no longer the agency’s approved representative. Nothing was recorded.',
  not_awaited: 'This partnership is not waiting for an attestation. Nothing was recorded.',
};

/**
 * Handles one reply to an attestation request (`attest+<token>@<replyDomain>`): the same checks as the attestation
 * page; from the representative only; "I agree to sign" with the name, or the form returned unchanged, signs; anything
 * else is answered and changes nothing. Throws only on an outage, so the SMTP layer answers 451.
 */
export async function handleAttestationReply(
  deps: TReplyHandlerDeps,
  message: TInboundMessage,
  token: string,
): Promise<TAttestationReplyResult> {
  const { parsed } = message;
  const screened = screenReply(message, verifyAttestationToken(token, deps.signingSecret, Date.now()));
  if (!screened.ok) return { outcome: screened.outcome, ...(screened.claims ? { partnerId: screened.claims.partnerId } : {}) };
  const { claims } = screened;
  const answer = answerReply<TAttestationReplyOutcome, { partnerId: string }>(
    deps,
    claims,
    parsed.messageId,
    { partnerId: claims.partnerId },
    {
      about: `attestation ${claims.schoolYear} of ${claims.partnerId} (request #${claims.requestNumber})`,
      subject: 'Not signed',
      replyTo: replyAddressFor(token, deps.replyDomain, 'attest') ?? deps.mailFrom,
    },
  );

  const opened = await openAttestationRequest(deps.context, deps.signingSecret, token, Date.now());
  if (!opened.ok) {
    if (opened.reason === 'malformed' || opened.reason === 'forged' || opened.reason === 'expired')
      return { outcome: opened.reason, partnerId: claims.partnerId };
    return answer(opened.reason, REFUSALS[opened.reason], { subject: 'Reply refused' });
  }
  const { status, request } = opened;
  const document = request.document;
  const reading = readReply({
    text: parsed.text ?? '',
    sent: requestMarkers(status.representative.name, document.sha256),
    ...(parsed.from?.value[0]?.name ? { fromName: parsed.from.value[0].name } : {}),
  });
  const pdfs = attachedPdfs(
    parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: new Uint8Array(a.content) })),
  );
  const note = pdfs.tooMany ? ` Your email had more than ${MAX_ATTACHMENTS} attachments, so none of them was read.` : '';
  // An attestation cannot be declined: a reply that does not agree is answered like any unclear one.
  const decision = decideReply(reading, pdfs, { sha256: document.sha256, role: 'district' });
  if (decision.action !== 'sign') {
    if (decision.action === 'answer' && decision.problem === 'different_pdf') {
      const text = `The PDF attached to your reply is not the attestation form on record (its SHA-256 fingerprint differs from ${document.sha256}), so nothing was recorded. ${ASK}${note}`;
      return answer('attestation_different_pdf', text);
    }
    return answer(
      'attestation_unclear',
      `Your reply did not say that you agree to sign the attestation for ${claims.schoolYear}, so nothing was recorded. ${ASK}${note}`,
    );
  }
  const name = decision.name ?? status.representative.name;
  try {
    await signAttestation(deps.context, claims.partnerId, {
      name,
      title: decision.title ?? status.representative.title,
      email: claims.email,
      consent: true,
      documentSha256: document.sha256,
      method: 'email_reply',
      ipAddress: message.remoteAddress.replace(/^::ffff:/i, '').slice(0, 100),
      userAgent: oneLine(`email reply ${parsed.messageId ?? '(no Message-ID)'}`, 500),
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return answer('refused', refusedReplyText(error), { subject: 'Reply refused', replyTo: deps.mailFrom });
  }
  const how = decision.by === 'pdf' ? 'returning the attestation PDF unchanged' : 'your written agreement';
  const text = `Thank you, ${name}. The attestation of ${status.organizationName} for ${claims.schoolYear} is signed, by ${how}, on the document with SHA-256 ${document.sha256}.`;
  return answer('attestation_signed', text, { subject: 'Attestation signed', replyTo: deps.mailFrom, confirmsRecord: true });
}

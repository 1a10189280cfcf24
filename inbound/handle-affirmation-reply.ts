import { replyAddressFor } from '../activities/send-notification';
import { recordAgencyRecord } from '../client/partners';
import { isRefusal } from '../client/errors';
import { RECORD_LABELS } from '../domain/labels';
import { openAgencyRecordRequest, type TOpenedAgencyRecord } from '../client/open-agency-record-request';
import { verifyAgencyRecordToken } from '../security/agency-record-token';
import { normalize, readReply } from './read-reply';
import type { TInboundMessage } from './reply-sender';
import { screenReply } from './screen-reply';
import { answerReply, refusedReplyText, type TReplyHandlerDeps } from './send-answer';

type TAffirmationRefusal = Exclude<TOpenedAgencyRecord, { ok: true }>['reason'];
export type TAffirmationReplyOutcome =
  'record_affirmed' | 'record_unclear' | 'ignored_automatic' | 'wrong_sender' | 'refused' | TAffirmationRefusal;

export interface TAffirmationReplyResult {
  outcome: TAffirmationReplyOutcome;
  partnerId?: string;
  answeredTo?: string;
}

const ASK =
  'To affirm by email, reply to the request from the address it was sent to, with the words "I affirm" (or "I agree") and your full name and title on lines of their own ("Name: …", "Title: …"). You can also use the link in the request email.';

const REFUSALS: Record<Exclude<TAffirmationRefusal, 'malformed' | 'forged' | 'expired'>, string> = {
  not_found: 'This reply address does not point at a record the district asked of this partner. Nothing was recorded.',
  superseded:
    'A newer request for this record replaced the one you replied to. Reply to the most recent email (or use its link) instead. Nothing was recorded.',
  already_on_file: 'The district already has this record for the agency. Nothing more is needed.',
  not_representative: 'This request was sent to someone who is no longer the agency’s approved representative. Nothing was recorded.',
  not_awaited: 'This partnership is not waiting for agency records. Nothing was recorded.',
};

const AFFIRM = /\b(?:i|we)\s+(?:hereby\s+|do\s+)?affirm\b/;
const NEGATED_AFFIRM = /(?:\bnot|\bnever|\bcannot|\bcan't|\bdon't|\bwon't|\bdoesn't|\bdidn't)\s+(?:[\w']+\s+){0,2}affirm\b/;

/**
 * Handles one reply to an agency record request (`record+<token>@<replyDomain>`): the same checks as the affirmation
 * page; from the representative only; "I affirm" or "I agree" with the name records the policy's statement (method
 * `email_reply`); anything else is answered and changes nothing. Throws only on an outage, so the SMTP layer answers 451.
 */
export async function handleAffirmationReply(
  deps: TReplyHandlerDeps,
  message: TInboundMessage,
  token: string,
): Promise<TAffirmationReplyResult> {
  const { parsed } = message;
  const screened = screenReply(message, verifyAgencyRecordToken(token, deps.signingSecret, Date.now()));
  if (!screened.ok) return { outcome: screened.outcome, ...(screened.claims ? { partnerId: screened.claims.partnerId } : {}) };
  const { claims } = screened;
  const label = RECORD_LABELS[claims.kind];
  const answer = answerReply<TAffirmationReplyOutcome, { partnerId: string }>(
    deps,
    claims,
    parsed.messageId,
    { partnerId: claims.partnerId },
    {
      about: `${label} of ${claims.partnerId}${claims.schoolYear ? ` for ${claims.schoolYear}` : ''} (request #${claims.requestNumber})`,
      subject: 'Not affirmed',
      replyTo: replyAddressFor(token, deps.replyDomain, 'record') ?? deps.mailFrom,
      requestName: 'request',
    },
  );

  const opened = await openAgencyRecordRequest(deps.context, deps.signingSecret, token, Date.now());
  if (!opened.ok) {
    if (opened.reason === 'malformed' || opened.reason === 'forged' || opened.reason === 'expired')
      return { outcome: opened.reason, partnerId: claims.partnerId };
    return answer(opened.reason, REFUSALS[opened.reason], { subject: 'Reply refused' });
  }
  const { status } = opened;
  const statement = deps.context.policy.agencyRecords.statements[claims.kind];
  if (!statement) return answer('not_found', REFUSALS.not_found, { subject: 'Reply refused' });
  const reading = readReply({
    text: parsed.text ?? '',
    // The request has no document: its greeting marks where a quote of it begins.
    sent: [`Dear ${status.representative.name},`],
    ...(parsed.from?.value[0]?.name ? { fromName: parsed.from.value[0].name } : {}),
  });
  const words = normalize(reading.text);
  const affirms = (reading.intent === 'agree' || AFFIRM.test(words)) && !NEGATED_AFFIRM.test(words) && reading.unclear !== 'conflicting';
  if (!affirms) {
    return answer('record_unclear', `Your reply did not say that you affirm the ${label}, so nothing was recorded. ${ASK}`);
  }
  const name = reading.name ?? status.representative.name;
  try {
    await recordAgencyRecord(deps.context, claims.partnerId, {
      kind: claims.kind,
      by: { name, email: claims.email },
      title: reading.title ?? status.representative.title,
      statement,
      method: 'email_reply',
      requestNumber: claims.requestNumber,
      ...(claims.schoolYear ? { schoolYear: claims.schoolYear } : {}),
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return answer('refused', refusedReplyText(error), { subject: 'Reply refused', replyTo: deps.mailFrom });
  }
  const text = `Thank you, ${name}. The ${label} of ${status.organizationName}${claims.schoolYear ? ` for ${claims.schoolYear}` : ''} is on file, by your written affirmation of the statement: "${statement}"`;
  return answer('record_affirmed', text, { subject: 'Affirmed', replyTo: deps.mailFrom, confirmsRecord: true });
}

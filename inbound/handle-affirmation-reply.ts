import { replyAddressFor } from '../activities/send-notification';
import { recordAgencyRecord } from '../client/partners';
import { isRefusal } from '../client/errors';
import { RECORD_LABELS } from '../domain/labels';
import { openAgencyRecordRequest, type TOpenedAgencyRecord } from '../client/open-agency-record-request';
import { verifyAgencyRecordToken } from '../security/agency-record-token';
import { normalize, readReply } from './read-reply';
import { fromAddresses, isAutomatic, type TInboundMessage } from './reply-sender';
import { sendAnswer, type TAnswer, type TReplyHandlerDeps } from './send-answer';

type TAffirmationRefusal = Exclude<TOpenedAgencyRecord, { ok: true }>['reason'];
export type TAffirmationReplyOutcome =
  'record_affirmed' | 'record_unclear' | 'ignored_automatic' | 'wrong_sender' | 'refused' | TAffirmationRefusal;

export interface TAffirmationReplyResult {
  outcome: TAffirmationReplyOutcome;
  partnerId?: string;
  answeredTo?: string;
}

const RCPT_REFUSALS: Record<'malformed' | 'forged' | 'expired', string> = {
  malformed: 'No such reply address: it is incomplete or damaged. Reply to the most recent request, or use its link',
  forged: 'No such reply address: it was not issued by the district. Reply to the most recent request, or use its link',
  expired: 'This request has expired: ask the Community Partnerships Office to send a new one',
};

/** Why the listener refuses `record+<token>` at RCPT TO (a token the district did not issue, or expired), or null. */
export function affirmationRecipientRefusal(token: string, secret: string, nowMs: number): string | null {
  const check = verifyAgencyRecordToken(token, secret, nowMs);
  return check.ok ? null : RCPT_REFUSALS[check.reason];
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
  if (isAutomatic(message)) return { outcome: 'ignored_automatic' };
  const check = verifyAgencyRecordToken(token, deps.signingSecret, Date.now());
  if (!check.ok) return { outcome: check.reason };
  const { claims } = check;
  const representative = claims.email.toLowerCase();
  if (message.envelopeFrom.toLowerCase() !== representative && !fromAddresses(parsed).includes(representative)) {
    return { outcome: 'wrong_sender', partnerId: claims.partnerId };
  }
  const label = RECORD_LABELS[claims.kind];
  const done = (outcome: TAffirmationReplyOutcome, answeredTo: string | undefined): TAffirmationReplyResult => ({
    outcome,
    partnerId: claims.partnerId,
    ...(answeredTo ? { answeredTo } : {}),
  });
  const answer = (
    outcome: TAffirmationReplyOutcome,
    text: string,
    options: Partial<Pick<TAnswer, 'subject' | 'replyTo' | 'confirmsRecord'>> = {},
  ) =>
    sendAnswer(deps, claims, parsed.messageId, {
      outcome,
      text,
      about: `${label} of ${claims.partnerId}${claims.schoolYear ? ` for ${claims.schoolYear}` : ''} (request #${claims.requestNumber})`,
      subject: 'Not affirmed',
      replyTo: replyAddressFor(token, deps.replyDomain, 'record') ?? deps.mailFrom,
      requestName: 'request',
      ...options,
    });

  const opened = await openAgencyRecordRequest(deps.context, deps.signingSecret, token, Date.now());
  if (!opened.ok) {
    if (opened.reason === 'malformed' || opened.reason === 'forged' || opened.reason === 'expired') return done(opened.reason, undefined);
    return done(opened.reason, await answer(opened.reason, REFUSALS[opened.reason], { subject: 'Reply refused' }));
  }
  const { status } = opened;
  const statement = deps.context.policy.agencyRecords.statements[claims.kind];
  if (!statement) return done('not_found', await answer('not_found', REFUSALS.not_found, { subject: 'Reply refused' }));
  const reading = readReply({
    text: parsed.text ?? '',
    // The request has no document: its greeting marks where a quote of it begins.
    sent: [`Dear ${status.representative.name},`],
    ...(parsed.from?.value[0]?.name ? { fromName: parsed.from.value[0].name } : {}),
  });
  const words = normalize(reading.text);
  const affirms = (reading.intent === 'agree' || AFFIRM.test(words)) && !NEGATED_AFFIRM.test(words) && reading.unclear !== 'conflicting';
  if (!affirms) {
    return done(
      'record_unclear',
      await answer('record_unclear', `Your reply did not say that you affirm the ${label}, so nothing was recorded. ${ASK}`),
    );
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
    return done(
      'refused',
      await answer('refused', `Your reply could not be recorded: ${error.message.replace(/^Refused:\s*/, '')}. Nothing was changed.`, {
        subject: 'Reply refused',
        replyTo: deps.mailFrom,
      }),
    );
  }
  const text = `Thank you, ${name}. The ${label} of ${status.organizationName}${claims.schoolYear ? ` for ${claims.schoolYear}` : ''} is on file, by your written affirmation of the statement: "${statement}"`;
  return done(
    'record_affirmed',
    await answer('record_affirmed', text, { subject: 'Affirmed', replyTo: deps.mailFrom, confirmsRecord: true }),
  );
}

import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { DocumentStore } from '../activities/storage/document-store';
import type { TCpoContext } from '../client/context';
import type { TContractStatus } from '../domain/schemas/contract';
import type { TAnswerLimiter } from './answer-limiter';
import { redactReplyTokens } from './reply-address';

export interface TAnswerDeps {
  /** To attach the contract on record to an answer that asks the signer to return it. */
  documents: DocumentStore;
  /** The same nodemailer transport the worker sends with: automatic answers go out through it. */
  mailer: Transporter;
  mailFrom: string;
  replyDomain: string;
  answerLimiter: TAnswerLimiter;
  /** One line per reply handled; never contains a token. */
  log?: (line: string) => void;
}

/** What every reply handler needs: the answer's, Temporal, and the key its reply addresses' tokens are checked with. */
export interface TReplyHandlerDeps extends TAnswerDeps {
  context: TCpoContext;
  signingSecret: string;
}

/** A Message-ID as RFC 5322 writes it; anything else the sender put there is not repeated in our headers. */
const MESSAGE_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/;

export interface TAnswer {
  /** What the answer is about, in its X-CPO-Reply-Outcome header. */
  outcome: string;
  /** Ours only: e.g. "Not signed"; the subject says which request, never repeats the reply's. */
  subject: string;
  text: string;
  replyTo: string;
  attachContract?: TContractStatus;
  /** What the subject names after the outcome; by default the contract and request (`contract c-1 (request #2)`). */
  about?: string;
  /**
   * Confirms a signature or decline just recorded: not limited, as there is at most one per request the district
   * sent (a countersigner may get dozens an hour), and nobody else can make them go out.
   */
  confirmsRecord?: boolean;
  /** What was replied to, for the answer's last line; a signature request unless said. */
  requestName?: string;
}

/** Whom the answer goes to (from the token), and the request: a contract's or another kind's. */
export interface TAnswerRecipient {
  email: string;
  requestNumber: number;
  contractId?: string;
}

/**
 * Sends an automatic answer to the person the token names, the only person it ever goes to; other than a
 * confirmation, at most as often as the limiter allows. Its subject and text are the district's own; nothing the
 * sender wrote is echoed. Returns where it went, or undefined when it was not sent (limited, or the mail server
 * failed: that must not undo or repeat what the reply did).
 */
export async function sendAnswer(
  deps: TAnswerDeps,
  claims: TAnswerRecipient,
  inReplyTo: string | undefined,
  answer: TAnswer,
): Promise<string | undefined> {
  const to = claims.email;
  if (to.toLowerCase().endsWith(`@${deps.replyDomain.toLowerCase()}`)) return undefined; // never mail ourselves
  if (!answer.confirmsRecord && !deps.answerLimiter.allow(to)) {
    deps.log?.(`[reply] no answer (${answer.outcome}) to ${to}: the hourly limit of automatic answers is reached`);
    return undefined;
  }
  const attachments: Mail.Attachment[] = [];
  const document = answer.attachContract?.signing?.document;
  if (document) {
    try {
      attachments.push({
        filename: document.filename,
        content: Buffer.from(await deps.documents.get(document)),
        contentType: 'application/pdf',
      });
    } catch {
      // The answer still says what is needed; the request email has the PDF too.
    }
  }
  const threaded = inReplyTo && MESSAGE_ID.test(inReplyTo) ? { inReplyTo, references: inReplyTo } : {};
  try {
    await deps.mailer.sendMail({
      from: deps.mailFrom,
      to,
      replyTo: answer.replyTo,
      subject: `${answer.subject}: ${answer.about ?? `contract ${claims.contractId} (request #${claims.requestNumber})`}`,
      text: `${answer.text}\n\nThis is an automatic answer from the Community Partnerships Office to your email reply to ${answer.requestName ?? 'signature request'} #${claims.requestNumber}.`,
      attachments,
      ...threaded,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-CPO-Reply-Outcome': answer.outcome },
    });
    return to;
  } catch (error) {
    deps.log?.(
      `[reply] could not send the answer (${answer.outcome}) to ${to}: ${redactReplyTokens(error instanceof Error ? error.message : String(error))}`,
    );
    return undefined;
  }
}

/** What an answer may change from its handler's defaults. */
export type TAnswerOptions = Partial<Pick<TAnswer, 'subject' | 'replyTo' | 'confirmsRecord'>>;

/**
 * The answers to one reply: each sent with the handler's defaults, resolving to the handler's result (the outcome,
 * the ids it names, and where the answer went if it was sent).
 */
export function answerReply<O extends string, I extends object>(
  deps: TAnswerDeps,
  claims: TAnswerRecipient,
  inReplyTo: string | undefined,
  ids: I,
  defaults: Omit<TAnswer, 'outcome' | 'text'>,
) {
  return async (outcome: O, text: string, options: TAnswerOptions = {}): Promise<{ outcome: O; answeredTo?: string } & I> => {
    const answeredTo = await sendAnswer(deps, claims, inReplyTo, { ...defaults, ...options, outcome, text });
    return { outcome, ...ids, ...(answeredTo ? { answeredTo } : {}) };
  };
}

/** The answer when the workflow refused what a reply asked (someone acted first on the page): nothing changed. */
export const refusedReplyText = (error: Error): string =>
  `Your reply could not be recorded: ${error.message.replace(/^Refused:\s*/, '')}. Nothing was changed.`;

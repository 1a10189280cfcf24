import nodemailer from 'nodemailer';
import type { TCaughtMail } from '../scripts/smtp-catcher';

export interface TAutoSignerStats {
  /** Signature requests followed (one per distinct Message-ID). */
  requests: number;
  /** Signatures given: form posts answered 200, or email replies accepted (250). */
  signed: number;
  /** Posts answered 409 "already signed": a retry after a post whose answer was lost. */
  alreadySigned: number;
  /** Attempts that failed (network error, 5xx or SMTP 451 while a part was down) and were tried again. */
  retried: number;
  /**
   * The "try again" answers by status: 503 (HTTP) and 451 (SMTP) say "try again"; a 500 would be an unexplained
   * failure shown to a signer.
   */
  serverErrors: Record<string, number>;
}

/** What one attempt to sign got: done, or a status that says to try again. Throws SignRefusal when refused. */
type TAttempt = 'signed' | 'already_signed' | { tryAgain: number };

/** How a signer answers a request: follow its link and post the form, or reply to the email. */
export type TSignBy = 'link' | { replyPort: number };

/** A refusal a signer met: the scenario fails with it, unlike a failure to connect, which is tried again. */
class SignRefusal extends Error {}

const SIGNING_LINK = /(https?:\/\/[^\s/]+\/sign\/[A-Za-z0-9_.-]+)/;
const POLL_MS = 100;
const RETRY_MS = 1_000;
const IN_FLIGHT = 8;

const nameOf = (mail: TCaughtMail): string => `Signer of ${mail.envelopeTo[0] ?? 'unknown'}`;

/** The signing form posted over HTTP, as a person's browser does. */
function postForm(mail: TCaughtMail): () => Promise<TAttempt> {
  const link = SIGNING_LINK.exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new SignRefusal(`No signing link in "${mail.parsed.subject}"`);
  return async () => {
    const answer = await fetch(link, {
      method: 'POST',
      body: new URLSearchParams({ consent: 'yes', name: nameOf(mail) }),
      headers: { 'user-agent': 'cpo-reliability-signer/1.0' },
      signal: AbortSignal.timeout(60_000),
    });
    await answer.arrayBuffer();
    if (answer.status === 200) return 'signed';
    if (answer.status === 409) return 'already_signed';
    if (answer.status < 500) throw new SignRefusal(`The signing page refused the form: HTTP ${answer.status} for ${link}`);
    return { tryAgain: answer.status };
  };
}

/**
 * A reply to the request's Reply-To address over SMTP, from the address it was sent to, quoting the request the way
 * mail programs do. A sending mail server keeps a message that got 451 and sends it again; any 5xx is a bounce.
 */
function replyByEmail(mail: TCaughtMail, replyPort: number): () => Promise<TAttempt> {
  const replyTo = mail.parsed.replyTo?.value[0]?.address;
  if (!replyTo?.startsWith('sign+')) throw new SignRefusal(`No reply address on "${mail.parsed.subject}"`);
  const quoted = (mail.parsed.text ?? '')
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  const message = {
    from: { name: nameOf(mail), address: mail.envelopeTo[0]! },
    to: replyTo,
    subject: `Re: ${mail.parsed.subject}`,
    ...(mail.parsed.messageId ? { inReplyTo: mail.parsed.messageId } : {}),
    text: `I agree to sign.\nName: ${nameOf(mail)}\n\nOn Mon, Nov 23, 2026 at 10:00 AM Community Partnerships Office wrote:\n${quoted}`,
  };
  return async () => {
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port: replyPort,
      secure: false,
      ignoreTLS: true,
      socketTimeout: 60_000,
    });
    try {
      await client.sendMail(message);
      return 'signed';
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (code === undefined) throw error;
      if (code >= 500) throw new SignRefusal(`The reply listener refused the reply: SMTP ${code} ${(error as Error).message}`);
      return { tryAgain: code };
    } finally {
      client.close();
    }
  };
}

/**
 * Plays every signer: reads each signature request that reaches the SMTP server and answers it, as a person would:
 * by its link (the signing form posted over HTTP) or by replying to the email. An attempt that fails is tried again
 * until it is answered, so a part that is down delays signatures but loses none.
 */
export function startAutoSigner(
  mailbox: { readonly messages: readonly TCaughtMail[] },
  log?: (line: string) => void,
  by: TSignBy = 'link',
) {
  const stats: TAutoSignerStats = { requests: 0, signed: 0, alreadySigned: 0, retried: 0, serverErrors: {} };
  const seen = new Set<string>();
  const queue: (() => Promise<TAttempt>)[] = [];
  let read = 0;
  let inFlight = 0;
  let stopped = false;
  const failures: Error[] = [];

  async function sign(attempt: () => Promise<TAttempt>): Promise<void> {
    for (;;) {
      try {
        const outcome = await attempt();
        if (outcome === 'signed') return void (stats.signed += 1);
        if (outcome === 'already_signed') return void (stats.alreadySigned += 1);
        stats.serverErrors[outcome.tryAgain] = (stats.serverErrors[outcome.tryAgain] ?? 0) + 1;
        log?.(`the signer was answered ${outcome.tryAgain}; trying again`);
      } catch (error) {
        if (error instanceof SignRefusal) throw error;
        log?.(`signing failed (${(error as Error).message}); trying again`);
      }
      if (stopped) return;
      stats.retried += 1;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  const timer = setInterval(() => {
    for (; read < mailbox.messages.length; read += 1) {
      const mail = mailbox.messages[read]!;
      if (mail.parsed.headers.get('x-cpo-notification') !== 'signature_request') continue;
      const id = mail.parsed.messageId ?? `#${read}`;
      if (seen.has(id)) continue;
      seen.add(id);
      try {
        queue.push(by === 'link' ? postForm(mail) : replyByEmail(mail, by.replyPort));
        stats.requests += 1;
      } catch (error) {
        failures.push(error as Error);
      }
    }
    while (inFlight < IN_FLIGHT && queue.length > 0) {
      const attempt = queue.shift()!;
      inFlight += 1;
      sign(attempt)
        .catch((error: Error) => failures.push(error))
        .finally(() => (inFlight -= 1));
    }
  }, POLL_MS);

  return {
    stats,
    /** The first refusal a signer met: the scenario fails with it. */
    failure: (): Error | undefined => failures[0],
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

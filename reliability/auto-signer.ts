import type { TCaughtMail } from '../scripts/smtp-catcher';

export interface TAutoSignerStats {
  /** Signature requests followed (one per distinct Message-ID). */
  requests: number;
  /** Form posts answered 200: a signature recorded. */
  signed: number;
  /** Posts answered 409 "already signed": a retry after a post whose answer was lost. */
  alreadySigned: number;
  /** Posts that failed (network error, 5xx while a part was down) and were tried again. */
  retried: number;
  /** The 5xx answers by status: 503 says "try again"; a 500 would be an unexplained failure shown to a signer. */
  serverErrors: Record<string, number>;
}

const SIGNING_LINK = /(https?:\/\/[^\s/]+\/sign\/[A-Za-z0-9_.-]+)/;
const POLL_MS = 100;
const RETRY_MS = 1_000;
const IN_FLIGHT = 8;

/**
 * Plays every signer: reads each signature request that reaches the SMTP server, opens its link and posts the
 * signing form over HTTP, as a person would. A post that fails is tried again until it is answered, so a part
 * that is down delays signatures but loses none.
 */
export function startAutoSigner(mailbox: { readonly messages: readonly TCaughtMail[] }, log?: (line: string) => void) {
  const stats: TAutoSignerStats = { requests: 0, signed: 0, alreadySigned: 0, retried: 0, serverErrors: {} };
  const seen = new Set<string>();
  const queue: { link: string; name: string }[] = [];
  let read = 0;
  let inFlight = 0;
  let stopped = false;
  const failures: Error[] = [];

  async function sign(item: { link: string; name: string }): Promise<void> {
    for (;;) {
      try {
        const answer = await fetch(item.link, {
          method: 'POST',
          body: new URLSearchParams({ consent: 'yes', name: item.name }),
          headers: { 'user-agent': 'cpo-reliability-signer/1.0' },
          signal: AbortSignal.timeout(60_000),
        });
        await answer.arrayBuffer();
        if (answer.status === 200) return void (stats.signed += 1);
        if (answer.status === 409) return void (stats.alreadySigned += 1);
        if (answer.status < 500) throw new Error(`The signing page refused the form: HTTP ${answer.status} for ${item.link}`);
        stats.serverErrors[answer.status] = (stats.serverErrors[answer.status] ?? 0) + 1;
        log?.(`signing page answered ${answer.status}; trying again`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('The signing page refused')) throw error;
        log?.(`signing post failed (${(error as Error).message}); trying again`);
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
      const link = SIGNING_LINK.exec(mail.parsed.text ?? '')?.[1];
      if (!link) {
        failures.push(new Error(`No signing link in "${mail.parsed.subject}"`));
        continue;
      }
      stats.requests += 1;
      queue.push({ link, name: `Signer of ${mail.envelopeTo[0] ?? 'unknown'}` });
    }
    while (inFlight < IN_FLIGHT && queue.length > 0) {
      const item = queue.shift()!;
      inFlight += 1;
      sign(item)
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

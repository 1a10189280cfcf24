// The SMTP catcher (scripts/smtp-catcher.ts) as the benchmark's signal that a step happened: every email the
// worker sends is really delivered over SMTP, and the benchmark waits for a given contract's email of a given kind.
import { SmtpCatcher, type TCaughtMail } from '../../scripts/smtp-catcher';
import { nowMs } from './stats';

/**
 * Contracts' program names end with `[<contractId>]`, so each email's subject names its contract. Keys are
 * `<contractId>/<kind>` (kinds as in the X-CPO-Notification header), with `#<n>` for a signature request's number.
 */
export const programNameFor = (kind: string, contractId: string): string => `${kind} [${contractId}]`;
export const mailKey = (contractId: string, kind: string, requestNumber?: number): string =>
  `${contractId}/${kind}${requestNumber === undefined ? '' : `#${requestNumber}`}`;

export class MailBox {
  readonly catcher: SmtpCatcher;
  /** Every email caught, by the kind in its X-CPO-Notification header. */
  readonly countsByKind = new Map<string, number>();
  total = 0;
  private readonly arrivals = new Map<string, number>();
  private readonly waiters = new Map<string, (atMs: number) => void>();

  constructor() {
    // The catcher parses each email; nothing is kept (at thousands of contracts it would hold thousands of PDFs).
    this.catcher = new SmtpCatcher({
      onMessage: (mail) => {
        this.onMail(mail);
        this.catcher.messages.splice(0);
      },
    });
  }

  count(kind: string): number {
    return this.countsByKind.get(kind) ?? 0;
  }

  /** Resolves with the time (epoch ms) the email was caught, already or later. */
  waitFor(key: string, timeoutMs = 120_000): Promise<number> {
    const caught = this.arrivals.get(key);
    if (caught !== undefined) {
      this.arrivals.delete(key);
      return Promise.resolve(caught);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error(`No email ${key} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiters.set(key, (atMs) => {
        clearTimeout(timer);
        resolve(atMs);
      });
    });
  }

  private onMail(mail: TCaughtMail): void {
    const atMs = nowMs();
    const header = mail.parsed.headers.get('x-cpo-notification');
    const kind = typeof header === 'string' ? header : 'unknown';
    this.total += 1;
    this.countsByKind.set(kind, this.count(kind) + 1);
    const subject = mail.parsed.subject ?? '';
    const contractId = /\[([a-z0-9-]+)\]/.exec(subject)?.[1];
    if (!contractId) return;
    const requestNumber = /\(request #(\d+)\)/.exec(subject)?.[1];
    const key = mailKey(contractId, kind, requestNumber === undefined ? undefined : Number(requestNumber));
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      waiter(atMs);
    } else {
      this.arrivals.set(key, atMs);
    }
  }

  /** Forgets emails nobody waited for (the open-contracts phase only counts them). */
  forgetUnclaimed(): void {
    this.arrivals.clear();
  }
}

import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TCaughtMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on loopback that keeps every message: the embedded default's mail catcher,
 * and the receiving end of the end-to-end tests.
 */
export class SmtpCatcher {
  readonly messages: TCaughtMail[] = [];
  private server: SMTPServer;
  private waiters: { predicate: (m: TCaughtMail) => boolean; resolve: (m: TCaughtMail) => void }[] = [];

  constructor(private readonly options: { saveDir?: string; onMessage?: (mail: TCaughtMail) => void } = {}) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 25 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          this.keep(raw, session.envelope).then(() => callback(), callback);
        });
      },
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves with the first message, caught already or later, that matches. */
  waitFor(predicate: (mail: TCaughtMail) => boolean, timeoutMs = 30_000): Promise<TCaughtMail> {
    const caught = this.messages.find(predicate);
    if (caught) return Promise.resolve(caught);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching email within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (mail) => {
          clearTimeout(timer);
          resolve(mail);
        },
      });
    });
  }

  private async keep(raw: Buffer, envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] }) {
    const mail: TCaughtMail = {
      envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
      envelopeTo: envelope.rcptTo.map((r) => r.address),
      raw,
      parsed: await simpleParser(raw),
    };
    this.messages.push(mail);
    if (this.options.saveDir) {
      await mkdir(this.options.saveDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${this.messages.length}.eml`;
      await writeFile(path.join(this.options.saveDir, name), raw);
    }
    this.options.onMessage?.(mail);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(mail)) return true;
      waiter.resolve(mail);
      return false;
    });
  }
}

import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import { createAnswerLimiter } from './answer-limiter';
import { handleReply, type TReplyHandlerDeps, type TReplyResult } from './handle-reply';
import { redactReplyTokens } from './reply-address';
import { recipientRefusal } from './reply-kinds';

export interface TReplyListenerDeps extends Omit<TReplyHandlerDeps, 'answerLimiter'> {
  /** Automatic answers per signer address per hour. Default 10. */
  answersPerHour?: number;
  /** Larger messages are refused with 552 and not read. Default 10 MiB. */
  maxMessageBytes?: number;
  /** Called after each message is handled (tests, metrics). */
  onHandled?: (results: TReplyResult[]) => void;
}

export const DEFAULT_MAX_REPLY_BYTES = 10 * 1024 * 1024;
/** A reply goes to one request; a few recipients is plenty, more is someone probing. */
const MAX_RECIPIENTS = 5;

const DEFAULT_ANSWERS_PER_HOUR = 10;

const smtpError = (responseCode: number, message: string): Error => Object.assign(new Error(message), { responseCode });

/**
 * The inbound SMTP listener for email replies to the district's requests (smtp-server + mailparser). It accepts
 * mail only for the reply addresses of reply-kinds.ts (`sign+<token>@<replyDomain>`, `approve+`, `attest+`,
 * `record+`) with a token the district issued and that has not expired (550 at RCPT TO otherwise, so no message of
 * ours goes out for it), and hands each message to handleReply while the sender waits: the answer to DATA says
 * whether it was handled (250), should be tried again later (451), or came from someone other than the addressee
 * (550). Automatic answers go only to the person a token names, and other than confirmations
 * of what was recorded, a few per hour at most.
 *
 * It speaks plain SMTP without TLS or AUTH: in production it sits behind the district's mail server (which
 * terminates TLS, checks SPF/DKIM/DMARC, and relays the reply domain to it), or on loopback for the embedded
 * default. The token in the address is what authorizes a reply, as with the signing link.
 */
export class ReplyListener {
  private readonly server: SMTPServer;

  private readonly handlerDeps: TReplyHandlerDeps;

  constructor(private readonly deps: TReplyListenerDeps) {
    this.handlerDeps = { ...deps, answerLimiter: createAnswerLimiter({ perHour: deps.answersPerHour ?? DEFAULT_ANSWERS_PER_HOUR }) };
    const maxBytes = deps.maxMessageBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.server = new SMTPServer({
      banner: 'Community Partnerships Office signature replies',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      // Advertised in EHLO, checked against a declared SIZE, and enforced on the data itself (552).
      size: maxBytes,
      rejectOversized: true,
      maxRecipients: MAX_RECIPIENTS,
      maxClients: 50,
      socketTimeout: 60_000,
      onRcptTo: (address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        const refusal = recipientRefusal(address.address, deps.replyDomain, deps.signingSecret, Date.now());
        if (refusal) deps.log?.(`[reply] refused RCPT TO ${redactReplyTokens(address.address)}: ${refusal}`);
        callback(refusal ? smtpError(550, refusal) : null);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        stream.on('data', (chunk: Buffer) => {
          // Stop keeping bytes past the limit; smtp-server answers 552 at the end (rejectOversized).
          if (stream.sizeExceeded || kept + chunk.length > maxBytes) return;
          kept += chunk.length;
          chunks.push(chunk);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            deps.log?.(
              `[reply] refused a message over ${maxBytes} bytes from ${session.envelope.mailFrom ? session.envelope.mailFrom.address || '<>' : '<>'}`,
            );
            return callback(smtpError(552, 'Message too large'));
          }
          this.receive(Buffer.concat(chunks), session).then(
            () => callback(),
            (error: unknown) => {
              if (((error as { responseCode?: number }).responseCode ?? 0) >= 500) return callback(error as Error);
              deps.log?.(
                `[reply] could not handle a reply now, the sender will retry: ${error instanceof Error ? error.message : String(error)}`,
              );
              callback(smtpError(451, 'Temporary failure, please try again later'));
            },
          );
        });
      },
    });
    this.server.on('error', (error) => deps.log?.(`[reply] SMTP error: ${error.message}`));
  }

  private async receive(raw: Buffer, session: SMTPServerSession): Promise<void> {
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
    } catch {
      throw smtpError(554, 'The message could not be read');
    }
    const results = await handleReply(this.handlerDeps, {
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      recipients: session.envelope.rcptTo.map((r) => r.address),
      remoteAddress: session.remoteAddress,
      parsed,
    });
    this.deps.onHandled?.(results);
    if (results.length > 0 && results.every((result) => result.outcome === 'wrong_sender')) {
      throw smtpError(
        550,
        'This reply address accepts replies only from the person the signature request was sent to, from that address; nothing was recorded',
      );
    }
  }

  /** Starts listening; resolves with the port (useful with port 0). */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export function createReplyListener(deps: TReplyListenerDeps): ReplyListener {
  return new ReplyListener(deps);
}

import type { FastifyReply } from 'fastify';
import { CpoError, CpoUnavailableError } from '../../client/errors';
import { messagePage } from './layout';

/** A refusal shown to the person as a page, with the status code that says what kind it is. */
export class PageError extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The refusals of a token that does not verify, on a page reached by one: damaged (400), not the district's (403),
 * past its request's deadline (410). `ask` says where a working link is; `forgedAsk` when it differs for a forgery.
 */
export function tokenRefusals(noun: { link: string; request: string }, ask: string, forgedAsk = ask) {
  return {
    malformed: new PageError(400, 'This link is not valid', `This ${noun.link} link is incomplete or damaged. ${ask}`),
    forged: new PageError(403, 'This link is not valid', `This ${noun.link} link was not issued by the district. ${forgedAsk}`),
    expired: new PageError(
      410,
      'This link has expired',
      `The deadline of this ${noun.request} has passed. Ask the Community Partnerships Office to send a new request.`,
    ),
  };
}

/** Answers a refusal or an outage as a page: its own code, 503 "try again" when Temporal does not answer. */
export function refusePage(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PageError)
    return reply
      .code(error.statusCode)
      .type('text/html')
      .send(messagePage(error.title, error.message, 'error'));
  if (error instanceof CpoUnavailableError) {
    return reply
      .code(503)
      .header('Retry-After', '60')
      .type('text/html')
      .send(messagePage('Try again in a minute', error.message, 'error'));
  }
  if (error instanceof CpoError)
    return reply
      .code(error.httpStatus)
      .type('text/html')
      .send(messagePage('Not done', error.message.replace(/^Refused:\s*/, ''), 'error'));
  throw error;
}

/** Every page reached by a token: never cached, never framed elsewhere, and the token never leaves in a Referer. */
export function setTokenPageHeaders(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Frame-Options', 'SAMEORIGIN');
  reply.header('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'");
}

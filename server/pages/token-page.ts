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

/** Answers a refusal or an outage as a page: its own code, 503 "try again" when Temporal does not answer. */
export function refusePage(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PageError) return reply.code(error.statusCode).type('text/html').send(messagePage(error.title, error.message, 'error'));
  if (error instanceof CpoUnavailableError) {
    return reply.code(503).header('Retry-After', '60').type('text/html').send(messagePage('Try again in a minute', error.message, 'error'));
  }
  if (error instanceof CpoError) return reply.code(error.httpStatus).type('text/html').send(messagePage('Not done', error.message, 'error'));
  throw error;
}

/** Every page reached by a token: never cached, never framed elsewhere, and the token never leaves in a Referer. */
export function setTokenPageHeaders(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Frame-Options', 'SAMEORIGIN');
  reply.header('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'");
}

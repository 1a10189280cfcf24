import type { FastifyInstance, FastifyReply } from 'fastify';
import { CpoError, CpoUnavailableError } from '../../client/errors';
import { messagePage } from '../pages/layout';

/** A refusal shown to the person as a page, with the status code that says what kind it is. */
export class PageRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why a token link cannot be used, in words for the person who followed it. */
export function tokenRefusal(reason: 'malformed' | 'forged' | 'expired', what: string, fresh: string): PageRefusal {
  switch (reason) {
    case 'malformed':
      return new PageRefusal(400, 'This link is not valid', `This ${what} link is incomplete or damaged. ${fresh}`);
    case 'forged':
      return new PageRefusal(403, 'This link is not valid', `This ${what} link was not issued by the district. ${fresh}`);
    case 'expired':
      return new PageRefusal(410, 'This link has expired', `This ${what} link has expired. ${fresh}`);
  }
}

/** Token pages are never cached, never framed, never tell another site their address. */
export function guardTokenPages(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  });
}

export const sendPage = (reply: FastifyReply, html: string, statusCode = 200): FastifyReply => reply.code(statusCode).type('text/html').send(html);

/** A refusal as its page; an outage as "try again" (503 + Retry-After); anything else is the server's error. */
export function answerRefusal(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PageRefusal) return sendPage(reply, messagePage(error.title, error.message, 'error'), error.statusCode);
  if (error instanceof CpoUnavailableError) {
    return sendPage(reply.header('Retry-After', '60'), messagePage('Try again in a minute', error.message, 'error'), 503);
  }
  if (error instanceof CpoError) return sendPage(reply, messagePage('Not done', error.message, 'error'), error.httpStatus);
  throw error;
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import { PageError, setTokenPageHeaders } from '../pages/token-page';

/** Why a token link cannot be used, in words for the person who followed it. */
export function tokenRefusal(reason: 'malformed' | 'forged' | 'expired', what: string, fresh: string): PageError {
  switch (reason) {
    case 'malformed':
      return new PageError(400, 'This link is not valid', `This ${what} link is incomplete or damaged. ${fresh}`);
    case 'forged':
      return new PageError(403, 'This link is not valid', `This ${what} link was not issued by the district. ${fresh}`);
    case 'expired':
      return new PageError(410, 'This link has expired', `This ${what} link has expired. ${fresh}`);
  }
}

/** Token pages are never cached, never framed, never tell another site their address. */
export function guardTokenPages(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => setTokenPageHeaders(reply));
}

export const sendPage = (reply: FastifyReply, html: string, statusCode = 200): FastifyReply =>
  reply.code(statusCode).type('text/html').send(html);

import type { FastifyReply, FastifyRequest } from 'fastify';
import { CpoError } from '../../client/errors';

/** A CPO error as JSON with its status; anything else is logged and answered without internals. */
export function sendApiError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof CpoError) return reply.code(error.httpStatus).send({ error: error.message, problems: error.problems });
  request.log.error(error);
  return reply.code(500).send({ error: 'The server could not do this; the error is logged.' });
}

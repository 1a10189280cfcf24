import type { FastifyRequest } from 'fastify';

/** Where a request came from, for the signature, view or action it records: the client's address and browser. */
export const requestOrigin = (request: FastifyRequest) => ({
  ipAddress: request.ip,
  ...(request.headers['user-agent'] ? { userAgent: String(request.headers['user-agent']).slice(0, 500) } : {}),
});

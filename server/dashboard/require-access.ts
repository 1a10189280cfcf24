import type { FastifyReply, FastifyRequest } from 'fastify';
import { refusalFor } from '../../domain/staff-access';
import { notice } from './pages/components';
import { dashboardPage } from './pages/dashboard-layout';

/**
 * Refuses a signed-in staff member an action their role does not allow: 403 with the reason, as JSON on the API
 * and as a page elsewhere. Returns the refusal sent, or null when the action is allowed.
 */
export function requireAccess(request: FastifyRequest, reply: FastifyReply, allowed: boolean, action: string): FastifyReply | null {
  if (allowed) return null;
  const reason = `Refused: ${refusalFor(request.staff!.access, action)}`;
  reply.code(403);
  if (request.url.startsWith('/api/')) return reply.send({ error: reason });
  const body = notice(reason, 'error');
  if (request.headers['x-live-fragment']) return reply.type('text/html; charset=utf-8').send(body);
  return reply.type('text/html; charset=utf-8').send(dashboardPage({ title: 'Not allowed', section: null, staffName: request.staff!.name, body }));
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { CpoError } from '../../client/errors';
import type { TStaffUser } from '../../config/load-staff-users';
import type { TContractStatus } from '../../domain/schemas/contract';
import { canSeeContract, refusalFor, type TContractScope, type TStaffAccess } from '../../domain/staff-access';
import { notice } from './pages/components';
import { dashboardPage } from './pages/dashboard-layout';

/** Who is signed in on a dashboard or API route: a staff-file account or an identity-provider user. */
export type TSignedInStaff = Pick<TStaffUser, 'username' | 'name' | 'email' | 'access'>;

/** The account may not do this: 403 with the reason, and nothing changed. */
export class CpoForbiddenError extends CpoError {
  readonly httpStatus = 403;
}

/**
 * Refuses unless `allowed`, with the role's reason (`refusalFor`). Call it before anything changes, e.g.
 * `requireAccess(request.staff!, canStartContract(request.staff!.access, department), 'start this contract')`.
 */
export function requireAccess(staff: { access: TStaffAccess }, allowed: boolean, action: string): void {
  if (!allowed) throw new CpoForbiddenError(`Not allowed: ${refusalFor(staff.access, action)}`);
}

/** What decides who may see or act on a contract: its paying department and every school, amendments included. */
export const contractScopeOf = (status: Pick<TContractStatus, 'request' | 'amendments'>): TContractScope => ({
  payingDepartment: status.request.payingDepartment?.name ?? null,
  schools: [...status.request.schools, ...status.amendments.flatMap((amendment) => amendment.addSchools)],
});

/** Refuses a contract the account may not see (departments and schools see only their own). */
export function requireContractVisible<T extends Pick<TContractStatus, 'request' | 'amendments'>>(
  staff: { access: TStaffAccess },
  status: T,
): T {
  requireAccess(staff, canSeeContract(staff.access, contractScopeOf(status)), 'see this contract');
  return status;
}

/**
 * For routes that answer a refusal themselves rather than throw: 403 with the role's reason, as JSON on the API
 * and as a page elsewhere. Returns the reply sent, or null when the action is allowed.
 */
export function answerUnlessAllowed(request: FastifyRequest, reply: FastifyReply, allowed: boolean, action: string): FastifyReply | null {
  if (allowed) return null;
  const reason = `Refused: ${refusalFor(request.staff!.access, action)}`;
  reply.code(403);
  if (request.url.startsWith('/api/')) return reply.send({ error: reason });
  const body = notice(reason, 'error');
  if (request.headers['x-live-fragment']) return reply.type('text/html; charset=utf-8').send(body);
  return reply.type('text/html; charset=utf-8').send(dashboardPage({ title: 'Not allowed', section: null, staff: request.staff!, body }));
}

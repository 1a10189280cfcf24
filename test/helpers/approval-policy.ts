import type { TPolicy } from '../../domain/policy';
import { testPolicy } from './temporal';

/** The office that approves department-paid contracts under approvalPolicy. */
export const approvingOffice = { name: 'Community Partnerships Office', email: 'cpo@mpls.k12.mn.us' };

/** The Minneapolis test policy where the Community Partnerships Office approves department-paid contracts before the partner signs. */
export function approvalPolicy(signature?: TPolicy['signature']): TPolicy {
  const policy = testPolicy(signature);
  return { ...policy, routes: { ...policy.routes, department_paid: { ...policy.routes.department_paid!, approvedBy: 'cpo_office' } } };
}

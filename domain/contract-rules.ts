import { ownEntry } from './own-entry';
import type { TPolicy } from './policy';
import type { TContractRequest, TDistrictSigner } from './schemas/contract';
import type { TContractStage } from './vocabulary';

type TRequestParties = Pick<TContractRequest, 'route' | 'payingDepartment'>;

/** The person acting for a district party on a contract: the paying department's approver or an office of the policy. */
export function resolveParty(policy: TPolicy, request: TRequestParties, party: string): TDistrictSigner {
  if (party === 'paying_department') {
    const department = request.payingDepartment;
    if (!department) throw new RangeError(`route ${request.route} needs a paying department`);
    return { name: department.approverName, email: department.approverEmail, office: department.name };
  }
  const office = ownEntry(policy.offices, party);
  if (!office) throw new RangeError(`unknown office ${party}`);
  return { name: office.signerName, email: office.email, office: office.label };
}

export const routeOf = (policy: TPolicy, request: Pick<TContractRequest, 'route'>) => {
  const route = ownEntry(policy.routes, request.route);
  if (!route) throw new RangeError(`unknown route ${request.route}`);
  return route;
};

/** Who signs for the district: the paying department's approver or the office the route names. */
export const resolveDistrictSigner = (policy: TPolicy, request: TRequestParties): TDistrictSigner =>
  resolveParty(policy, request, routeOf(policy, request).districtSigner);

/** Who must approve before the partner is asked to sign; null when initiating is approving. */
export function resolveApprover(policy: TPolicy, request: TRequestParties): TDistrictSigner | null {
  const route = routeOf(policy, request);
  if (!route.approvedBy || route.approvedBy === route.initiatedBy) return null;
  return resolveParty(policy, request, route.approvedBy);
}

/** Who is asked to renew: the party that initiates the route (the paying department, or the office such as the CPO office for $0). */
export const resolveRenewalParty = (policy: TPolicy, request: TRequestParties): TDistrictSigner =>
  resolveParty(policy, request, routeOf(policy, request).initiatedBy);

const STAGE_EXPLANATIONS: Partial<Record<TContractStage, string>> = {
  initiated: 'the contract has just been initiated',
  awaiting_prerequisites: 'the partner is not yet certified or its safety attestation is not on file',
  awaiting_partner_signature: 'the partner has not signed the contract yet',
  awaiting_district_signature: 'the district has not countersigned the contract yet',
};

/**
 * Hard rule 1: no program starts before the final signed contract is received and its go-live date has come.
 * Returns why a program may not start now, or null when it may.
 */
export function programStartBlockedReason(
  stage: TContractStage,
  context: { goLiveAt: string; closedReason: string | null },
): string | null {
  if (stage === 'live') return null;
  if (stage === 'executed') {
    return `the contract is executed but its go-live date (${context.goLiveAt}) has not come`;
  }
  const explanation = STAGE_EXPLANATIONS[stage];
  if (explanation) return `the final signed contract has not been received: ${explanation} (stage ${stage})`;
  return `the contract is ${stage}${context.closedReason ? `: ${context.closedReason}` : ''}`;
}

import { resolveApprover, resolveDistrictSigner, routeOf } from './contract-rules';
import { startOfDateMs } from './dates';
import { contractWaitsFor, deriveContractStatus, type TContractState } from './derive-contract-status';
import type { TPolicy, TRoutePolicy } from './policy';
import type { TContractRequest } from './schemas/contract-request';
import type { TContractStatus, TDistrictSigner } from './schemas/contract-status';
import { schoolYearOf, type TSchoolYear } from './school-year';

export interface TInitiatedContract {
  route: TRoutePolicy;
  districtSigner: TDistrictSigner;
  schoolYear: TSchoolYear;
  goLiveMs: number;
  state: TContractState;
}

/** A contract as initiated on its route of the policy, before anything has happened to it: its workflow opens with this. */
export function initiateContract(policy: TPolicy, request: TContractRequest): TInitiatedContract {
  const route = routeOf(policy, request);
  const districtSigner = resolveDistrictSigner(policy, request);
  const approver = resolveApprover(policy, request);
  const schoolYear = schoolYearOf(request.goLiveDate ?? request.startDate, policy.schoolYear, policy.timeZone);
  const goLiveMs = startOfDateMs(request.goLiveDate ?? request.startDate, policy.timeZone);
  const state: TContractState = {
    contractId: request.contractId,
    // A copy: amendments add schools to it.
    request: { ...request, schools: [...request.schools] },
    policyId: policy.policyId,
    policyVersion: policy.version,
    routeLabel: route.label,
    districtSigner,
    schoolYear: schoolYear.name,
    stage: 'initiated',
    approval: approver ? { approverEmail: approver.email, approverName: approver.name, approvedBy: null, approvedAt: null } : null,
    partner: null,
    documents: { contract: null, executed: null },
    signatures: [],
    signingEvents: [],
    requestNumber: 0,
    goLiveAt: new Date(goLiveMs).toISOString(),
    closedReason: null,
    programStarts: [],
    amendments: [],
    renewal: null,
    attention: null,
    history: [],
  };
  return { route, districtSigner, schoolYear, goLiveMs, state };
}

/**
 * The status of a contract just initiated, as its workflow answers it before its first step (nothing in its history
 * yet): what starting a contract answers, without waiting for the worker.
 */
export function initiatedStatus(policy: TPolicy, request: TContractRequest): TContractStatus {
  const { state, schoolYear } = initiateContract(policy, request);
  return deriveContractStatus(state, {
    nextDeadline: null,
    waitingFor: contractWaitsFor(state, policy, request, schoolYear.name),
    signing: null,
  });
}

import { missingPrerequisites } from './agency-records';
import { programStartBlockedReason, resolveApprover, resolveDistrictSigner, routeOf } from './contract-rules';
import { startOfDateMs } from './dates';
import type { TPolicy, TRoutePolicy } from './policy';
import type { TContractRequest } from './schemas/contract-request';
import type { TContractStatus, TDistrictSigner } from './schemas/contract-status';
import { schoolYearOf, type TSchoolYear } from './school-year';

/** What a contract keeps on record; what follows from it (next deadline, what it waits for, ...) is derived. */
export type TContractState = Omit<TContractStatus, 'programStartBlockedReason' | 'waitingFor' | 'signing' | 'nextDeadline'>;

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

/** What the contract waits for before it can go to signature (approval, certification, agency records). */
export function contractWaitsFor(
  state: Pick<TContractState, 'stage' | 'approval' | 'partner'>,
  policy: TPolicy,
  request: TContractRequest,
  schoolYear: string,
): string[] {
  if (state.stage !== 'initiated' && state.stage !== 'awaiting_prerequisites') return [];
  const approval = state.approval && !state.approval.approvedBy ? [`approval by ${state.approval.approverEmail}`] : [];
  return [...approval, ...missingPrerequisites(policy, request, schoolYear, state.partner)];
}

/** The status: the state with what follows from it, and why a program may not start now (derived at the moment of asking). */
export function statusFrom(
  state: TContractState,
  derived: Pick<TContractStatus, 'nextDeadline' | 'waitingFor' | 'signing'>,
): TContractStatus {
  // The next deadline in its place among the stored fields, after the request number: results recorded in history keep their bytes.
  const { goLiveAt, closedReason, programStarts, amendments, renewal, attention, history, ...stored } = state;
  return {
    ...stored,
    nextDeadline: derived.nextDeadline,
    goLiveAt,
    closedReason,
    programStarts,
    amendments,
    renewal,
    attention,
    history,
    waitingFor: derived.waitingFor,
    signing: derived.signing,
    programStartBlockedReason: programStartBlockedReason(state.stage, state),
  };
}

/**
 * The status of a contract just initiated, as its workflow answers it before its first step (nothing in its history
 * yet): what starting a contract answers, without waiting for the worker.
 */
export function initiatedStatus(policy: TPolicy, request: TContractRequest): TContractStatus {
  const { state, schoolYear } = initiateContract(policy, request);
  return statusFrom(state, { nextDeadline: null, waitingFor: contractWaitsFor(state, policy, request, schoolYear.name), signing: null });
}

import { endOfDateMs } from '../../domain/dates';
import type { TContractState } from '../../domain/derive-contract-status';
import { initiateContract } from '../../domain/initiate-contract';
import { ZPolicySchema, type TPolicy, type TRoutePolicy } from '../../domain/policy';
import {
  contractRequestSchemaFor,
  type TAmendment,
  type TContractRequest,
  type TContractWorkflowInput,
  type TDistrictSigner,
  type TRenewContract,
} from '../../domain/schemas/contract';
import type { TDocumentRef } from '../../domain/schemas/common';
import type { TSchoolYear } from '../../domain/school-year';
import type { TSignerRole } from '../../domain/vocabulary';
import { parseWorkflowInput } from '../support';

export type TClosedStage = 'expired' | 'declined' | 'voided' | 'terminated';

/** What a signature request is for: the contract itself, or an amendment to it. */
export interface TSigningSubject {
  document: TDocumentRef;
  amendment: TAmendment | null;
}

/** A renewal decided by the office, waiting for the flow to start next year's contract. */
export interface TRenewalDecision {
  by: { name: string; email: string };
  changes: NonNullable<TRenewContract['changes']>;
}

/** One contract's run: its terms (fixed at start), its state, and what is in flight now. The one place state lives. */
export interface TContractRun {
  policy: TPolicy;
  /** The request as initiated: the contract's terms. `state.request` is the contract as amended (schools added). */
  request: TContractRequest;
  route: TRoutePolicy;
  districtSigner: TDistrictSigner;
  schoolYear: TSchoolYear;
  goLiveMs: number;
  /** When the contract ends: its end date, or the end of its school year if sooner (from go-live on). */
  endMs: number;
  state: TContractState;
  /** The request out for signature now, if any, and when it expires. */
  signingNow: { role: TSignerRole; subject: TSigningSubject; deadline: string } | null;
  /** Set by the resend update; the signature loop then sends a new request. */
  resendRequestedBy: string | null;
  pendingRenewal: TRenewalDecision | null;
  /** Renewal reminders sent so far. */
  renewalReminders: number;
}

/** Checks the input (a bad one fails the workflow at once) and sets up the contract as initiated. */
export function openContract(input: TContractWorkflowInput): TContractRun {
  const policy = parseWorkflowInput(ZPolicySchema, input.policy, 'policy');
  const request = parseWorkflowInput(contractRequestSchemaFor(policy), input.request, 'contract request');
  const { route, districtSigner, schoolYear, goLiveMs, state } = initiateContract(policy, request);
  return {
    policy,
    request,
    route,
    districtSigner,
    schoolYear,
    goLiveMs,
    endMs: endOfDateMs(request.endDate, policy.timeZone),
    state,
    signingNow: null,
    resendRequestedBy: null,
    pendingRenewal: null,
    renewalReminders: 0,
  };
}

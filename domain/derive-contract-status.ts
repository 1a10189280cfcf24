import { missingPrerequisites } from './agency-records';
import { programStartBlockedReason } from './contract-rules';
import type { TPolicy } from './policy';
import type { TContractRequest } from './schemas/contract-request';
import type { TContractStatus } from './schemas/contract-status';

/** What a contract keeps on record; what follows from it (next deadline, what it waits for, ...) is derived. */
export type TContractState = Omit<TContractStatus, 'programStartBlockedReason' | 'waitingFor' | 'signing' | 'nextDeadline'>;

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
export function deriveContractStatus(
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

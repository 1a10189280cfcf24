import { setHandler } from '@temporalio/workflow';
import { getContractStatusQuery, updatePartnerStandingSignal, voidContractUpdate } from '../../domain/messages';
import { ZVoidContractSchema } from '../../domain/schemas/contract';
import { ZPartnerStandingSchema } from '../../domain/schemas/partner';
import { isEndedPartnerStage, VOIDABLE_CONTRACT_STAGES } from '../../domain/vocabulary';
import { parseUpdateInput, requireStage } from '../support';
import { setApprovalHandlers } from './approval-handlers';
import type { TContractRun } from './contract-run';
import { isClosed, statusOf } from './derived';
import { setLiveHandlers } from './live-handlers';
import { setSigningHandlers } from './signing-handlers';
import { close } from './transitions';

/** Every query, signal and update of the contract, set before the flow's first await. */
export function setContractHandlers(run: TContractRun): void {
  const { state, request } = run;
  setHandler(getContractStatusQuery, () => statusOf(run));
  setSigningHandlers(run);
  setHandler(updatePartnerStandingSignal, (standing) => {
    // Signals cannot be refused; a malformed standing, or another partner's, is not recorded (and must not fail the task).
    if (!ZPartnerStandingSchema.safeParse(standing).success || standing.partnerId !== request.partnerId) return;
    state.partner = standing;
    if (isClosed(run) || !isEndedPartnerStage(standing.stage)) return;
    const reason = standing.endedReason ?? `the partner was ${standing.stage}`;
    close(run, VOIDABLE_CONTRACT_STAGES.includes(state.stage) ? 'voided' : 'terminated', reason);
  });
  setApprovalHandlers(run);
  setHandler(voidContractUpdate, ({ by, reason }) => close(run, 'voided', reason, by.name), {
    validator: (raw) => {
      parseUpdateInput(ZVoidContractSchema, raw);
      requireStage(state.stage, VOIDABLE_CONTRACT_STAGES, 'void the contract');
    },
  });
  setLiveHandlers(run);
}

import { setHandler } from '@temporalio/workflow';
import { approveContractUpdate, sendBackContractUpdate } from '../../domain/messages';
import { ZApproveContractSchema, ZSendBackContractSchema } from '../../domain/schemas/contract';
import { nowIso, parseUpdateInput, requireStage } from '../support';
import type { TContractRun } from './contract-run';
import { close, note } from './transitions';

/** The approver's answer: approve, or send the contract back to its initiator. */
export function setApprovalHandlers(run: TContractRun): void {
  const { state } = run;
  setHandler(
    approveContractUpdate,
    ({ by, method }) => {
      // Changed in place: the approval request's number and deadline stay on record.
      Object.assign(state.approval!, { approvedBy: by.name, approvedAt: nowIso() });
      note(run, 'approved', method ? `by ${method}` : undefined, `${by.name} <${by.email}>`);
      return state.stage;
    },
    { validator: (raw) => requireApprovalAwaited(run, parseUpdateInput(ZApproveContractSchema, raw), 'approve the contract') },
  );
  setHandler(
    sendBackContractUpdate,
    ({ by, reason, method }) => {
      const actor = `${by.name} <${by.email}>`;
      state.approval!.sentBack = { by: by.name, email: by.email, reason, at: nowIso() };
      note(run, 'approval_sent_back', `${method ? `by ${method}: ` : ''}${reason}`, actor);
      return close(run, 'voided', `sent back by ${by.name}: ${reason}`, actor);
    },
    {
      validator: (raw) => {
        const sendBack = parseUpdateInput(ZSendBackContractSchema, raw);
        requireApprovalAwaited(run, sendBack, 'send the contract back');
        // Contracts whose approval request went out before sending back existed keep waiting for approval or a void.
        if (state.approval!.requestNumber === undefined)
          throw new Error('This contract cannot be sent back: it has no approval request by link; ask the office to void it');
      },
    },
  );
}

/** Approving and sending back: only by the route's approver, once, while the contract waits, on the current request. */
function requireApprovalAwaited(
  { state, request }: TContractRun,
  answer: { by: { email: string }; requestNumber?: number | undefined },
  action: string,
): void {
  if (!state.approval) throw new Error(`The ${request.route} route needs no separate approval: initiating the contract approved it`);
  if (state.approval.approvedBy) throw new Error('The contract is already approved');
  requireStage(state.stage, ['initiated'], action);
  if (answer.by.email.toLowerCase() !== state.approval.approverEmail.toLowerCase()) {
    throw new Error(`by.email: only ${state.approval.approverEmail} approves contracts on the ${request.route} route`);
  }
  if (answer.requestNumber !== undefined && answer.requestNumber !== state.approval.requestNumber) {
    throw new Error(
      `requestNumber: approval request #${answer.requestNumber} is not the current one (#${state.approval.requestNumber ?? 'none'}); use the newest email`,
    );
  }
}

import { setHandler } from '@temporalio/workflow';
import { programStartBlockedReason } from '../../domain/contract-rules';
import { amendContractUpdate, declineRenewalUpdate, renewContractUpdate, startProgramUpdate } from '../../domain/messages';
import { renewalContractId } from '../../domain/renewal';
import {
  routeAmountProblem,
  ZAmendContractSchema,
  ZDeclineRenewalSchema,
  ZRenewContractSchema,
  ZStartProgramSchema,
  type TAmendment,
} from '../../domain/schemas/contract';
import { nowIso, parseUpdateInput, requireStage } from '../support';
import type { TContractRun } from './contract-run';
import { isClosed, openAmendment } from './derived';
import { note } from './transitions';

/** What the office and schools do with a live contract: start the program, add schools, decide the renewal. */
export function setLiveHandlers(run: TContractRun): void {
  const { state, request, policy } = run;
  setHandler(
    amendContractUpdate,
    ({ by, addSchools, note: amendmentNote }) => {
      const amendment: TAmendment = {
        number: state.amendments.length + 1,
        addSchools,
        ...(amendmentNote ? { note: amendmentNote } : {}),
        requestedBy: by.name,
        requestedAt: nowIso(),
        status: 'drafting',
        document: null,
        executed: null,
      };
      state.amendments.push(amendment);
      note(run, 'amendment_requested', `amendment ${amendment.number} adds ${addSchools.join('; ')}`, by.name);
      return amendment.number;
    },
    {
      validator: (raw) => {
        const amendment = parseUpdateInput(ZAmendContractSchema, raw);
        requireStage(state.stage, ['live'], 'amend the contract');
        const open = openAmendment(run);
        if (open) throw new Error(`Amendment ${open.number} is still being signed; add schools once it is done`);
        const listed = amendment.addSchools.filter((school) => state.request.schools.includes(school));
        if (listed.length > 0) throw new Error(`addSchools: already on the contract: ${listed.join(', ')}`);
      },
    },
  );
  setHandler(
    renewContractUpdate,
    ({ by, changes }) => {
      const renewal = state.renewal!;
      run.pendingRenewal = { by, changes: changes ?? {} };
      renewal.decision = 'renew';
      renewal.decidedBy = `${by.name} <${by.email}>`;
      renewal.decidedAt = nowIso();
      state.attention = null;
      note(run, 'renewal_decided', `renew for ${renewal.schoolYear}`, by.name);
      return changes?.contractId ?? renewalContractId(request.contractId, renewal.schoolYear);
    },
    {
      validator: (raw) => {
        const renewal = parseUpdateInput(ZRenewContractSchema, raw);
        requireRenewalOpen(run);
        const amount = renewal.changes.amountCents;
        const amountProblem = amount === undefined ? null : routeAmountProblem(policy, request.route, amount);
        if (amountProblem) throw new Error(`changes.amountCents: ${amountProblem}`);
      },
    },
  );
  setHandler(
    declineRenewalUpdate,
    ({ by, reason }) => {
      Object.assign(state.renewal!, { decision: 'not_renewed', decidedBy: by.name, decidedAt: nowIso(), reason });
      note(run, 'renewal_declined', reason, by.name);
      return state.stage;
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZDeclineRenewalSchema, raw);
        requireRenewalOpen(run);
      },
    },
  );
  setHandler(
    startProgramUpdate,
    ({ by, school }) => {
      const start = { school: school ?? 'all listed schools', by: by.name, at: nowIso() };
      state.programStarts.push(start);
      note(run, 'program_started', start.school, by.name);
      return start;
    },
    {
      validator: (raw) => {
        const start = parseUpdateInput(ZStartProgramSchema, raw);
        const blocked = programStartBlockedReason(state.stage, state);
        if (blocked) throw new Error(`Program cannot start: ${blocked}`);
        const pending = openAmendment(run);
        if (start.school && pending?.addSchools.includes(start.school)) {
          throw new Error(
            `Program cannot start: ${start.school} is being added by amendment ${pending.number}, which both parties have not yet signed`,
          );
        }
        if (start.school && !state.request.schools.includes(start.school)) {
          throw new Error(`school: "${start.school}" is not on this contract (${state.request.schools.join(', ')})`);
        }
      },
    },
  );
}

function requireRenewalOpen(run: TContractRun): void {
  const { state } = run;
  if (!state.renewal)
    throw new Error(`Cannot decide the renewal while the stage is ${state.stage} (renewal is decided once the contract is live)`);
  if (state.renewal.decision === 'renew' && (state.renewal.nextContractId || run.pendingRenewal)) {
    throw new Error(
      `Already renewed for ${state.renewal.schoolYear}${state.renewal.nextContractId ? ` as contract ${state.renewal.nextContractId}` : ''}`,
    );
  }
  if (state.renewal.decision === 'not_renewed') throw new Error(`Already decided not to renew for ${state.renewal.schoolYear}`);
  if (isClosed(run)) throw new Error(`Cannot renew a ${state.stage} contract`);
}

import { ApplicationFailure, getExternalWorkflowHandle, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { requiredRecords } from '../../domain/agency-records';
import { registerContractSignal } from '../../domain/messages';
import type { TContractStatus, TContractWorkflowInput } from '../../domain/schemas/contract';
import { contractSearchAttributes } from '../../domain/search-attributes';
import { partnerWorkflowId } from '../../domain/vocabulary';
import { obtainApproval } from './approval';
import { generateDocument, generateExecuted } from './contract-documents';
import { openContract, type TContractRun } from './contract-run';
import { statusOf, waitingFor } from './derived';
import { setContractHandlers } from './handlers';
import { closedEmail, executedEmail, notify, sentBackEmail } from './notifications';
import { goLive, runSchoolYear } from './school-year';
import { collectSignatures } from './signatures';
import { moveTo, note } from './transitions';
import { ContractClosed, stopIfClosed, unlessClosedMeanwhile, waitOrClose } from './wait-or-close';

/** One per program and school year: from initiation through signatures to go-live, amendments, renewal, and the start gate. */
export async function contractWorkflow(input: TContractWorkflowInput): Promise<TContractStatus> {
  const run = openContract(input);
  setContractHandlers(run);
  await registerWithPartner(run);
  try {
    await obtainApproval(run);
    await awaitPrerequisites(run);
    await draftContract(run);
    await collectContractSignatures(run);
    await executeContract(run);
    await goLive(run);
    await runSchoolYear(run);
  } catch (error) {
    // A contract that closes (void, decline, the partner ending, expiry) unwinds here from whichever step it was in.
    if (!(error instanceof ContractClosed)) throw error;
  }
  return finishClosed(run);
}

/** The partner's workflow learns of the contract, and tells it the partner's standing from then on. */
async function registerWithPartner(run: TContractRun): Promise<void> {
  const { request, policy, route, schoolYear } = run;
  note(run, 'initiated', route.label, request.initiatedBy.name);
  upsertSearchAttributes(contractSearchAttributes(request, policy, new Date(run.goLiveMs)));
  try {
    await getExternalWorkflowHandle(partnerWorkflowId(request.partnerId)).signal(registerContractSignal, {
      contractWorkflowId: workflowInfo().workflowId,
      schoolYear: schoolYear.name,
      category: request.category,
      needs: requiredRecords(policy, request),
    });
  } catch {
    throw ApplicationFailure.nonRetryable(`partnerId: no partner "${request.partnerId}" is registered`, 'UnknownPartner');
  }
}

/** The partner is certified and its agency records for the school year are on file. */
async function awaitPrerequisites(run: TContractRun): Promise<void> {
  moveTo(run, 'awaiting_prerequisites', 'waiting_for_prerequisites');
  await waitOrClose(run, () => waitingFor(run).length === 0);
  note(run, 'prerequisites_met', 'partner certified, agency records on file');
}

async function draftContract(run: TContractRun): Promise<void> {
  const contract = await unlessClosedMeanwhile(run, generateDocument(run, run.request));
  run.state.documents.contract = contract;
  note(run, 'document_generated', contract.filename);
}

async function collectContractSignatures(run: TContractRun): Promise<void> {
  await collectSignatures(run, { document: run.state.documents.contract!, amendment: null });
  stopIfClosed(run);
}

/** The signed contract with its certificate of completion goes to everyone; the program may start on its go-live date. */
async function executeContract(run: TContractRun): Promise<void> {
  run.state.documents.executed = await unlessClosedMeanwhile(run, generateExecuted(run, run.state.documents.contract!));
  moveTo(run, 'executed', 'executed', undefined, 'final signed contract received');
  await notify(run, executedEmail(run), 'executed_notice_sent');
}

/** A closed contract tells everyone why; one sent back tells its initiator and the district signer only. */
async function finishClosed(run: TContractRun): Promise<TContractStatus> {
  if (run.state.approval?.sentBack) await notify(run, sentBackEmail(run), 'sent_back_notice_sent');
  else await notify(run, closedEmail(run), 'closure_notice_sent');
  return statusOf(run);
}

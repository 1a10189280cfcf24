import type { WorkflowHandle } from '@temporalio/client';
import {
  amendContractUpdate,
  approveContractUpdate,
  declineContractUpdate,
  declineRenewalUpdate,
  renewContractUpdate,
  getContractStatusQuery,
  getPartnerStatusQuery,
  recordSigningViewSignal,
  resendSignatureRequestUpdate,
  sendBackContractUpdate,
  signContractUpdate,
  startProgramUpdate,
  voidContractUpdate,
} from '../domain/messages';
import { checkSchoolNames } from '../domain/check-school-names';
import { programStartBlockedReason } from '../domain/contract-rules';
import { ZIdSchema } from '../domain/schemas/common';
import {
  newContractRequestSchemaFor,
  schoolCountProblem,
  ZAmendContractSchema,
  ZApproveContractSchema,
  ZDeclineContractSchema,
  ZDeclineRenewalSchema,
  ZRenewContractSchema,
  ZRecordViewSchema,
  ZResendSignatureRequestSchema,
  ZSendBackContractSchema,
  ZSignContractSchema,
  ZStartProgramSchema,
  ZVoidContractSchema,
  type TContractStatus,
  type TProgramStart,
  type TSignatureRecord,
} from '../domain/schemas/contract';
import { startOfDateMs } from '../domain/dates';
import { initiatedStatus } from '../domain/initiate-contract';
import { contractSearchAttributes, CpoPartnerName, CpoStage, fitSchools, partnerWordsSearchAttribute } from '../domain/search-attributes';
import { contractWorkflowId, isEndedPartnerStage, partnerWorkflowId, type TContractStage } from '../domain/vocabulary';
import type { contractWorkflow } from '../workflows';
import type { TCpoContext } from './context';
import { activityDelaysOf, type TWaitingOn } from './activity-delays';
import { CpoInputError, CpoNotFoundError, CpoRefusedError, explainTemporalErrors, parseInput, parseWrittenInput } from './errors';

function contractHandle(context: TCpoContext, contractId: unknown) {
  const id = ZIdSchema.safeParse(contractId);
  if (!id.success) throw CpoInputError.forField('contractId', id.error.issues[0]!.message);
  const handle: WorkflowHandle<typeof contractWorkflow> = context.client.workflow.getHandle(contractWorkflowId(id.data));
  const explain = <T>(call: () => Promise<T>) => explainTemporalErrors({ kind: 'contract', id: id.data, field: 'contractId' }, call);
  /** A closed contract's workflow has completed and takes no updates; refuse with its stage, not "not found". */
  const update = async <T>(call: () => Promise<T>, refusal = closedRefusal): Promise<T> => {
    try {
      return await explain(call);
    } catch (error) {
      if (!(error instanceof CpoNotFoundError)) throw error;
      const status = await handle.query(getContractStatusQuery).catch(() => null);
      if (!status) throw error;
      throw new CpoRefusedError(refusal(status));
    }
  };
  return { handle, explain, update };
}

const closedRefusal = (status: TContractStatus): string =>
  `Refused: the contract is ${status.stage}${status.closedReason ? ` (${status.closedReason})` : ''} and takes no more actions`;

/**
 * Initiates a contract on a route of the current policy; the contract keeps that policy version for life. It answers
 * the contract as initiated without waiting for the worker: the server alone knows the partner and starts the workflow.
 */
export async function startContract(context: TCpoContext, raw: unknown): Promise<TContractStatus> {
  const request = parseWrittenInput(newContractRequestSchemaFor(context.policy, context.now()), raw);
  const organizationName = await partnerTakingContracts(context, request.partnerId);
  const goLive = new Date(startOfDateMs(request.goLiveDate ?? request.startDate, context.policy.timeZone));
  const { explain } = contractHandle(context, request.contractId);
  await explain(() =>
    context.client.workflow.start<typeof contractWorkflow>('contractWorkflow', {
      workflowId: contractWorkflowId(request.contractId),
      taskQueue: context.taskQueue,
      args: [{ request, policy: context.policy }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        ...contractSearchAttributes(request, context.policy, goLive),
        { key: CpoPartnerName, value: organizationName },
        partnerWordsSearchAttribute(organizationName),
      ],
      // Shown in lists without asking each workflow.
      // Every school when some do not fit in the search attributes, so lists still show them all.
      memo: {
        programName: request.programName,
        organizationName,
        endDate: request.endDate,
        // Who may see it on the dashboard (server/dashboard/contract-scope.ts); not a search attribute.
        payingDepartment: request.payingDepartment?.name ?? null,
        ...(fitSchools(request.schools).left.length > 0 ? { schools: request.schools } : {}),
      },
    }),
  );
  return initiatedStatus(context.policy, request);
}

/**
 * The partner's name, unless it has ended (withdrawn, terminated, rejected) and takes no contracts. Read from the
 * partner workflow's search attributes, which the server answers itself: a busy or restarting worker does not slow
 * a start. Partners whose attributes lack the name are asked by query.
 */
async function partnerTakingContracts(context: TCpoContext, partnerId: string): Promise<string> {
  const handle = context.client.workflow.getHandle(partnerWorkflowId(partnerId));
  const explain = <T>(call: () => Promise<T>) => explainTemporalErrors({ kind: 'partner', id: partnerId, field: 'partnerId' }, call);
  const attributes = (await explain(() => handle.describe())).typedSearchAttributes;
  const stage = attributes.get(CpoStage);
  const name = attributes.get(CpoPartnerName);
  if (name && stage && !isEndedPartnerStage(stage)) return name;
  const partner = await explain(() => handle.query(getPartnerStatusQuery));
  if (isEndedPartnerStage(partner.stage)) {
    throw new CpoRefusedError(
      `Refused: the partner is ${partner.stage}${partner.endedReason ? ` (${partner.endedReason})` : ''} and gets no new contracts`,
      [{ field: 'partnerId', message: `partner "${partnerId}" is ${partner.stage}` }],
    );
  }
  return partner.organizationName;
}

export async function getContractStatus(context: TCpoContext, contractId: unknown): Promise<TContractStatus> {
  const { handle, explain } = contractHandle(context, contractId);
  return explain(() => handle.query(getContractStatusQuery));
}

/** What staff see (API, dashboard, `cpo status`): the state, and whether an email or a document of it is stuck retrying. */
export async function viewContract(context: TCpoContext, contractId: unknown): Promise<TContractStatus & TWaitingOn> {
  const { handle, explain } = contractHandle(context, contractId);
  const [status, delays] = await explain(() => Promise.all([handle.query(getContractStatusQuery), activityDelaysOf(handle)]));
  return { ...status, ...delays };
}

/** Records a signature on the contract document on record; the hash defaults to that document's. */
export async function signContract(context: TCpoContext, contractId: unknown, raw: Record<string, unknown>): Promise<TSignatureRecord> {
  const { handle, explain, update } = contractHandle(context, contractId);
  const status = await explain(() => handle.query(getContractStatusQuery));
  const document = status.signing?.document ?? status.documents.contract;
  if (!document) {
    throw new CpoRefusedError(`Refused: there is no contract document to sign yet (stage ${status.stage})`);
  }
  const input = parseWrittenInput(ZSignContractSchema, { documentSha256: document.sha256, ...raw });
  return update(() => handle.executeUpdate(signContractUpdate, { args: [input] }));
}

export async function declineContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TContractStage> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZDeclineContractSchema, raw);
  return update(() => handle.executeUpdate(declineContractUpdate, { args: [input] }));
}

export async function voidContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TContractStage> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZVoidContractSchema, raw);
  return update(() => handle.executeUpdate(voidContractUpdate, { args: [input] }));
}

/** The program-start gate: refused with the reason until the contract is live. */
export async function startProgram(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TProgramStart> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZStartProgramSchema, raw);
  return update(
    () => handle.executeUpdate(startProgramUpdate, { args: [input] }),
    (status) => `Refused: Program cannot start: ${programStartBlockedReason(status.stage, status)}`,
  );
}

/** Sends the awaited signer a new request; the older link and reply stop working. Returns the new request number. */
export async function resendSignatureRequest(context: TCpoContext, contractId: unknown, raw: unknown): Promise<number> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZResendSignatureRequestSchema, raw);
  return update(() => handle.executeUpdate(resendSignatureRequestUpdate, { args: [input] }));
}

/** Records that a signer opened the signing page (for the certificate of completion). */
export async function recordSigningView(context: TCpoContext, contractId: unknown, raw: unknown): Promise<void> {
  const { handle, explain } = contractHandle(context, contractId);
  const view = parseInput(ZRecordViewSchema, raw);
  await explain(() => handle.signal(recordSigningViewSignal, view));
}

/** The route's approver approves the contract, after which the partner's prerequisites and signature follow. */
export async function approveContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TContractStage> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZApproveContractSchema, raw);
  return update(() => handle.executeUpdate(approveContractUpdate, { args: [input] }));
}

/** The route's approver sends the contract back with a reason instead of approving: it ends voided, its initiator is told. */
export async function sendBackContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TContractStage> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZSendBackContractSchema, raw);
  return update(() => handle.executeUpdate(sendBackContractUpdate, { args: [input] }));
}

/** Adds schools to a live contract; both parties sign the amendment. Returns the amendment number. */
export async function amendContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<number> {
  const { handle, explain, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZAmendContractSchema, raw);
  const status = await explain(() => handle.query(getContractStatusQuery));
  const tooMany = schoolCountProblem(context.policy, new Set([...status.request.schools, ...input.addSchools]).size);
  const unknown = checkSchoolNames(context.policy, input.addSchools);
  if (unknown) throw CpoInputError.forField('addSchools', unknown);
  if (tooMany) throw CpoInputError.forField('addSchools', `with the contract's ${status.request.schools.length} schools, ${tooMany}`);
  return update(() => handle.executeUpdate(amendContractUpdate, { args: [input] }));
}

/** Renews the program for the next school year on the same route; returns next year's contract id. */
export async function renewContract(context: TCpoContext, contractId: unknown, raw: unknown): Promise<string> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZRenewContractSchema, raw);
  const tooMany = input.changes.schools ? schoolCountProblem(context.policy, input.changes.schools.length) : null;
  if (tooMany) throw CpoInputError.forField('changes.schools', tooMany);
  const unknown = input.changes.schools ? checkSchoolNames(context.policy, input.changes.schools) : null;
  if (unknown) throw CpoInputError.forField('changes.schools', unknown);
  return update(() => handle.executeUpdate(renewContractUpdate, { args: [input] }));
}

export async function declineRenewal(context: TCpoContext, contractId: unknown, raw: unknown): Promise<TContractStage> {
  const { handle, update } = contractHandle(context, contractId);
  const input = parseWrittenInput(ZDeclineRenewalSchema, raw);
  return update(() => handle.executeUpdate(declineRenewalUpdate, { args: [input] }));
}

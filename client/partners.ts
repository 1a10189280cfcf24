import type { WorkflowHandle } from '@temporalio/client';
import {
  certifyPartnerUpdate,
  getPartnerStatusQuery,
  recordAgencyRecordUpdate,
  recordAgencyRecordViewSignal,
  recordAttestationViewSignal,
  rejectPartnerUpdate,
  resendAgencyRecordRequestUpdate,
  resendAttestationRequestUpdate,
  terminatePartnerUpdate,
  signAttestationUpdate,
  startReviewUpdate,
  withdrawPartnerUpdate,
} from '../domain/messages';
import { ZIdSchema } from '../domain/schemas/common';
import {
  ZCertifyPartnerSchema,
  ZPartnerApplicationSchema,
  ZRecordAgencyRecordSchema,
  ZRecordAgencyRecordViewSchema,
  ZRecordAttestationViewSchema,
  ZRejectPartnerSchema,
  ZResendAgencyRecordRequestSchema,
  ZResendAttestationRequestSchema,
  ZTerminatePartnerSchema,
  ZSignAttestationSchema,
  ZStartReviewSchema,
  ZWithdrawPartnerSchema,
  type TAgencyRecord,
  type TAttestationRecord,
  type TAttestationRequest,
  type TPartnerStatus,
} from '../domain/schemas/partner';
import { partnerSearchAttributes, partnerWordsSearchAttribute } from '../domain/search-attributes';
import { partnerWorkflowId, type TPartnerStage } from '../domain/vocabulary';
import type { partnerWorkflow } from '../workflows';
import type { TCpoContext } from './context';
import { activityDelaysOf, type TWaitingOn } from './activity-delays';
import { CpoInputError, CpoRefusedError, explainTemporalErrors, parseWrittenInput } from './errors';

function partnerHandle(context: TCpoContext, partnerId: unknown) {
  const id = ZIdSchema.safeParse(partnerId);
  if (!id.success) throw CpoInputError.forField('partnerId', id.error.issues[0]!.message);
  const handle: WorkflowHandle<typeof partnerWorkflow> = context.client.workflow.getHandle(partnerWorkflowId(id.data));
  const explain = <T>(call: () => Promise<T>) => explainTemporalErrors({ kind: 'partner', id: id.data, field: 'partnerId' }, call);
  return { handle, explain };
}

export async function applyPartner(context: TCpoContext, raw: unknown): Promise<TPartnerStatus> {
  const application = parseWrittenInput(ZPartnerApplicationSchema, raw);
  const { explain } = partnerHandle(context, application.partnerId);
  return explain(async () => {
    const handle = await context.client.workflow.start<typeof partnerWorkflow>('partnerWorkflow', {
      workflowId: partnerWorkflowId(application.partnerId),
      taskQueue: context.taskQueue,
      args: [{ application, policy: context.policy }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // The workflow upserts partnerSearchAttributes itself; the folded name words are set here only.
      typedSearchAttributes: [...partnerSearchAttributes(application), partnerWordsSearchAttribute(application.organizationName)],
    });
    return handle.query(getPartnerStatusQuery);
  });
}

export async function getPartnerStatus(context: TCpoContext, partnerId: unknown): Promise<TPartnerStatus> {
  const { handle, explain } = partnerHandle(context, partnerId);
  return explain(() => handle.query(getPartnerStatusQuery));
}

/** What staff see: the partner's state, and whether an email or document of it (an attestation request) is stuck retrying. */
export async function viewPartner(context: TCpoContext, partnerId: unknown): Promise<TPartnerStatus & TWaitingOn> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const [status, delays] = await explain(() => Promise.all([handle.query(getPartnerStatusQuery), activityDelaysOf(handle)]));
  return { ...status, ...delays };
}

export async function startPartnerReview(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TPartnerStage> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZStartReviewSchema, raw);
  return explain(() => handle.executeUpdate(startReviewUpdate, { args: [input] }));
}

export async function certifyPartner(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TPartnerStage> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZCertifyPartnerSchema, raw);
  return explain(() => handle.executeUpdate(certifyPartnerUpdate, { args: [input] }));
}

export async function rejectPartner(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TPartnerStage> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZRejectPartnerSchema, raw);
  return explain(() => handle.executeUpdate(rejectPartnerUpdate, { args: [input] }));
}

export async function withdrawPartner(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TPartnerStage> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZWithdrawPartnerSchema, raw);
  return explain(() => handle.executeUpdate(withdrawPartnerUpdate, { args: [input] }));
}

/** The oldest attestation form sent and not yet signed (one per school year). */
export const pendingAttestation = (status: TPartnerStatus): TAttestationRequest | undefined =>
  status.attestationRequests.find((request) => !status.attestations.some((a) => a.schoolYear === request.schoolYear));

/** Signs the agency's attestation; the document hash defaults to the oldest unsigned form, which the signer was sent. */
export async function signAttestation(context: TCpoContext, partnerId: unknown, raw: Record<string, unknown>): Promise<TAttestationRecord> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const status = await explain(() => handle.query(getPartnerStatusQuery));
  const signature = parseWrittenInput(ZSignAttestationSchema.partial({ documentSha256: true }), raw);
  const pending = pendingAttestation(status);
  if (!signature.documentSha256 && !pending) {
    throw new CpoRefusedError(
      status.attestationRequests.length
        ? 'Every attestation form sent is already signed'
        : 'The attestation form is not ready yet; try again in a moment',
    );
  }
  const input = { ...signature, documentSha256: signature.documentSha256 ?? pending!.document.sha256 };
  return explain(() => handle.executeUpdate(signAttestationUpdate, { args: [input] }));
}

/** The district ends the partnership for cause: every open contract of the agency ends and its programs are blocked. */
export async function terminatePartner(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TPartnerStage> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZTerminatePartnerSchema, raw);
  return explain(() => handle.executeUpdate(terminatePartnerUpdate, { args: [input] }));
}

/** Records a background-check affirmation, data-sharing agreement or photo/video consent practice for the agency. */
export async function recordAgencyRecord(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<TAgencyRecord> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZRecordAgencyRecordSchema, raw);
  return explain(() => handle.executeUpdate(recordAgencyRecordUpdate, { args: [input] }));
}

/** Sends the unsigned attestation again (a new form and request number); older links and replies stop working. */
export async function resendAttestationRequest(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<number> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZResendAttestationRequestSchema, raw);
  return explain(() => handle.executeUpdate(resendAttestationRequestUpdate, { args: [input] }));
}

/** Tells the partner's workflow that the attestation page was opened with a request's link. */
export async function recordAttestationView(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<void> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const view = parseWrittenInput(ZRecordAttestationViewSchema, raw);
  await explain(() => handle.signal(recordAttestationViewSignal, view));
}

/** Sends the representative an agency record request of one kind again (a new request number); older links and replies stop working. */
export async function resendAgencyRecordRequest(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<number> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const input = parseWrittenInput(ZResendAgencyRecordRequestSchema, raw);
  return explain(() => handle.executeUpdate(resendAgencyRecordRequestUpdate, { args: [input] }));
}

/** Tells the partner's workflow that the affirmation page was opened with a request's link. */
export async function recordAgencyRecordView(context: TCpoContext, partnerId: unknown, raw: unknown): Promise<void> {
  const { handle, explain } = partnerHandle(context, partnerId);
  const view = parseWrittenInput(ZRecordAgencyRecordViewSchema, raw);
  await explain(() => handle.signal(recordAgencyRecordViewSignal, view));
}

import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  certifyPartnerUpdate,
  getPartnerStatusQuery,
  registerContractSignal,
  rejectPartnerUpdate,
  startReviewUpdate,
  terminatePartnerUpdate,
  withdrawPartnerUpdate,
} from '../domain/messages';
import { ZPolicySchema } from '../domain/policy';
import { schoolYearAt } from '../domain/school-year';
import {
  ZCertifyPartnerSchema,
  ZContractRegistrationSchema,
  ZPartnerApplicationSchema,
  ZRejectPartnerSchema,
  ZStartReviewSchema,
  ZTerminatePartnerSchema,
  ZWithdrawPartnerSchema,
  type TPartnerStatus,
  type TPartnerWorkflowInput,
} from '../domain/schemas/partner';
import type { TDocumentRef } from '../domain/schemas/common';
import { CpoStage, partnerSearchAttributes } from '../domain/search-attributes';
import { ACTIVE_PARTNER_STAGES as ACTIVE_STAGES, type TPartnerStage } from '../domain/vocabulary';
import { documents, mail } from './activities';
import { standingOf, tellContract } from './partner/tell-contracts';
import { followUpAttestations, type TRequestEmail } from './partner/attestation-requests';
import { soonestOf } from './partner/request-timing';
import { sealAttestations } from './partner/seal-attestation';
import { requestAgencyRecords } from './partner/record-requests';
import { setRecordHandlers } from './partner/record-handlers';
import { appendHistory, idempotencyKey, nowIso, parseUpdateInput, parseWorkflowInput, requireStage } from './support';

const DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;

/** One per organization: certification and the agency-level records, for as long as the partnership lasts. */
export async function partnerWorkflow(input: TPartnerWorkflowInput): Promise<TPartnerStatus> {
  const application = parseWorkflowInput(ZPartnerApplicationSchema, input.application, 'partner application');
  const policy = parseWorkflowInput(ZPolicySchema, input.policy, 'policy');
  const state: TPartnerStatus = input.carriedOver ?? {
    ...application,
    stage: 'applied',
    certification: null,
    attestationRequests: [],
    attestations: [],
    records: [],
    endedReason: null,
    contracts: [],
    history: [],
  };
  const currentSchoolYear = (): string => schoolYearAt(Date.now(), policy.schoolYear, policy.timeZone).name;
  /** Contracts that have not yet heard the partner's current standing. */
  const contractsToTell = new Set<string>();
  /** School years a contract needs an attestation for that has not been asked for yet. */
  const attestationYearsToRequest: string[] = [];
  const tellEveryContract = (): void => state.contracts.forEach((id) => contractsToTell.add(id));
  /** Attestation emails still being sent; a mail outage must not hold up the standing contracts wait for. */
  let emailsSending = 0;

  const moveTo = (stage: TPartnerStage, event: string, actor: string, detail?: string): TPartnerStage => {
    state.stage = stage;
    appendHistory(state.history, { event, stage, actor, detail });
    upsertSearchAttributes([{ key: CpoStage, value: stage }]);
    tellEveryContract();
    return stage;
  };
  const end = (stage: 'withdrawn' | 'terminated', actor: string, reason: string): TPartnerStage => {
    state.endedReason =
      stage === 'withdrawn' ? `the partner withdrew: ${reason}` : `the district terminated the partnership for cause: ${reason}`;
    return moveTo(stage, stage, actor, reason);
  };
  const attestationAskedFor = (schoolYear: string): boolean =>
    state.attestationRequests.some((request) => request.schoolYear === schoolYear) || attestationYearsToRequest.includes(schoolYear);

  // Reminders, expiry, resends and views of attestation requests; runs started before them keep without.
  const followsUp = patched('attestation-follow-up');
  const followUp = followUpAttestations({
    state,
    policy,
    activeStages: ACTIVE_STAGES,
    makeForm: makeAttestationForm,
    send: sendAttestationRequest,
  });
  // Other agency records a contract needs are asked of the representative by email, then reminded and expired; runs
  // started before either change keep without it.
  const requestsRecords = patched('agency-record-requests');
  const recordRequests = requestAgencyRecords({
    state,
    policy,
    activeStages: ACTIVE_STAGES,
    followsUp: patched('agency-record-follow-up'),
  });
  const sealer = sealAttestations(state);

  setHandler(getPartnerStatusQuery, () => state);
  setHandler(registerContractSignal, (registration) => {
    // Signals cannot be refused; a malformed registration is not recorded (and must not fail the workflow task).
    if (!ZContractRegistrationSchema.safeParse(registration).success) return;
    const { contractWorkflowId, schoolYear, category, needs } = registration;
    if (!state.contracts.includes(contractWorkflowId)) state.contracts.push(contractWorkflowId);
    if (category && !state.categories.includes(category)) state.categories.push(category);
    const needsAttestation = schoolYear && needs?.includes('safety_attestation') && ACTIVE_STAGES.includes(state.stage);
    if (needsAttestation && !attestationAskedFor(schoolYear)) attestationYearsToRequest.push(schoolYear);
    if (requestsRecords && needs) recordRequests.noteNeeds(needs, schoolYear ?? currentSchoolYear());
    contractsToTell.add(contractWorkflowId);
  });
  setHandler(startReviewUpdate, ({ reviewer }) => moveTo('in_review', 'review_started', reviewer.name), {
    validator: (raw) => {
      parseUpdateInput(ZStartReviewSchema, raw);
      requireStage(state.stage, ['applied'], 'start the review');
    },
  });
  setHandler(
    certifyPartnerUpdate,
    ({ reviewer, note, checklist }) => {
      state.certification = { by: reviewer.name, at: nowIso(), ...(note ? { note } : {}), ...(checklist ? { checklist } : {}) };
      return moveTo('certified', 'certified', reviewer.name, note);
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZCertifyPartnerSchema, raw);
        requireStage(state.stage, ['in_review'], 'certify the partner');
      },
    },
  );
  setHandler(rejectPartnerUpdate, ({ reviewer, reason }) => moveTo('rejected', 'rejected', reviewer.name, reason), {
    validator: (raw) => {
      parseUpdateInput(ZRejectPartnerSchema, raw);
      requireStage(state.stage, ['applied', 'in_review'], 'reject the partner');
    },
  });
  setHandler(withdrawPartnerUpdate, ({ by, reason }) => end('withdrawn', by.name, reason), {
    validator: (raw) => {
      parseUpdateInput(ZWithdrawPartnerSchema, raw);
      requireStage(state.stage, ACTIVE_STAGES, 'withdraw the partner');
    },
  });
  setHandler(terminatePartnerUpdate, ({ by, reason }) => end('terminated', by.name, reason), {
    validator: (raw) => {
      parseUpdateInput(ZTerminatePartnerSchema, raw);
      requireStage(state.stage, ['certified'], 'terminate the partnership');
    },
  });
  setRecordHandlers({ state, policy, currentSchoolYear, tellEveryContract, recordRequests, sealer, followsUp });

  if (!input.carriedOver) {
    appendHistory(state.history, { event: 'applied', stage: 'applied', actor: application.representative.name });
    upsertSearchAttributes(partnerSearchAttributes(application));
  }
  if (state.attestationRequests.length === 0) await requestAttestation(currentSchoolYear());

  const shouldContinueAsNew = (): boolean =>
    workflowInfo().continueAsNewSuggested ||
    workflowInfo().historyLength >= (input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS);
  for (;;) {
    const waitingFor = (): boolean =>
      contractsToTell.size > 0 || attestationYearsToRequest.length > 0 || recordRequests.hasWork() || shouldContinueAsNew();
    if (!followsUp) await condition(waitingFor);
    else
      await condition(
        () => waitingFor() || followUp.hasWork(),
        soonestOf(followUp.msUntilDue(), recordRequests.msUntilDue()) ?? '365 days',
      );
    while (attestationYearsToRequest.length > 0) await requestAttestation(attestationYearsToRequest[0]!);
    if (followsUp) await followUp.work();
    recordRequests.work();
    for (const contractWorkflowId of [...contractsToTell]) {
      contractsToTell.delete(contractWorkflowId);
      await tellContract(contractWorkflowId, standingOf(state));
    }
    if (shouldContinueAsNew()) {
      // While the last emails are sent, standing changes and new attestation requests still go out at once.
      const keepsWorking = patched('work-while-waiting-to-continue-as-new');
      const workWaiting = (): boolean => keepsWorking && (contractsToTell.size > 0 || attestationYearsToRequest.length > 0);
      await condition(
        () => (allHandlersFinished() && emailsSending === 0 && !sealer.busy() && recordRequests.sending() === 0) || workWaiting(),
      );
      if (contractsToTell.size === 0 && attestationYearsToRequest.length === 0) {
        await continueAsNew<typeof partnerWorkflow>({ ...input, carriedOver: state });
      }
    }
  }

  /** Makes the school year's attestation form and emails it to the representative. */
  function makeAttestationForm(schoolYear: string, requestNumber?: number): Promise<TDocumentRef> {
    return documents.generateAttestationPdf({
      organizationName: state.organizationName,
      partnerId: state.partnerId,
      representative: state.representative,
      attestation: policy.attestation,
      district: policy.district,
      schoolYear,
      ...(requestNumber ? { requestNumber } : {}),
      generatedAt: nowIso(),
    });
  }

  async function requestAttestation(schoolYear: string): Promise<void> {
    const document = await makeAttestationForm(schoolYear);
    const request = { schoolYear, document, requestedAt: nowIso() };
    state.attestationRequests.push(request);
    const queued = attestationYearsToRequest.indexOf(schoolYear);
    if (queued >= 0) attestationYearsToRequest.splice(queued, 1);
    // The first request keeps its original key, so an agency that continued as new never mails it twice.
    const purpose = state.attestationRequests.length === 1 ? 'attestation-request' : `attestation-request/${schoolYear}`;
    const sending = sendAttestationRequest(document, schoolYear, purpose, followsUp ? followUp.emailFor(request) : undefined);
    // Agencies started before this change sent inline, and replay them that way.
    if (!patched('attestation-email-in-background')) return sending;
    emailsSending += 1;
    void sending.finally(() => (emailsSending -= 1));
  }

  async function sendAttestationRequest(document: TDocumentRef, schoolYear: string, purpose: string, email?: TRequestEmail): Promise<void> {
    try {
      await mail.sendNotification({
        kind: 'attestation_request',
        idempotencyKey: idempotencyKey(purpose),
        to: [state.representative.email],
        attachments: [document],
        organizationName: state.organizationName,
        representativeName: state.representative.name,
        partnerId: state.partnerId,
        district: policy.district,
        documentSha256: document.sha256,
        schoolYear,
        ...email,
      });
      appendHistory(state.history, {
        event: 'attestation_requested',
        stage: state.stage,
        detail: `${schoolYear}: ${state.representative.email}`,
      });
    } catch (error) {
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: String(error) });
    }
  }
}

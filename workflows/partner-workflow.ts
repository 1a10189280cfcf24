import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  certifyPartnerUpdate,
  getPartnerStatusQuery,
  registerContractSignal,
  rejectPartnerUpdate,
  signAttestationUpdate,
  startReviewUpdate,
  updatePartnerStandingSignal,
  withdrawPartnerUpdate,
} from '../domain/messages';
import {
  ZCertifyPartnerSchema,
  ZPartnerApplicationSchema,
  ZRejectPartnerSchema,
  ZSignAttestationSchema,
  ZStartReviewSchema,
  ZWithdrawPartnerSchema,
  type TPartnerStanding,
  type TPartnerStatus,
  type TPartnerWorkflowInput,
} from '../domain/schemas/partner';
import { CpoStage, partnerSearchAttributes } from '../domain/search-attributes';
import type { TPartnerStage } from '../domain/vocabulary';
import { documents, mail } from './activities';
import { appendHistory, idempotencyKey, nowIso, parseUpdateInput, parseWorkflowInput, requireStage } from './support';

/** One per organization: certification and the once-per-agency records, for as long as the partnership lasts. */
export async function partnerWorkflow(input: TPartnerWorkflowInput): Promise<TPartnerStatus> {
  const application = parseWorkflowInput(ZPartnerApplicationSchema, input.application, 'partner application');
  const state: TPartnerStatus = input.carriedOver ?? {
    ...application,
    stage: 'applied',
    certification: null,
    attestationDocument: null,
    attestation: null,
    contracts: [],
    history: [],
  };
  /** Contracts that have not yet heard the partner's current standing. */
  const contractsToTell = new Set<string>();

  const moveTo = (stage: TPartnerStage, event: string, actor: string, detail?: string): TPartnerStage => {
    state.stage = stage;
    appendHistory(state.history, { event, stage, actor, detail });
    upsertSearchAttributes([{ key: CpoStage, value: stage }]);
    state.contracts.forEach((id) => contractsToTell.add(id));
    return stage;
  };

  setHandler(getPartnerStatusQuery, () => state);
  setHandler(registerContractSignal, ({ contractWorkflowId }) => {
    if (!state.contracts.includes(contractWorkflowId)) state.contracts.push(contractWorkflowId);
    contractsToTell.add(contractWorkflowId);
  });
  setHandler(
    startReviewUpdate,
    ({ reviewer }) => moveTo('in_review', 'review_started', reviewer.name),
    {
      validator: (raw) => {
        parseUpdateInput(ZStartReviewSchema, raw);
        requireStage(state.stage, ['applied'], 'start the review');
      },
    },
  );
  setHandler(
    certifyPartnerUpdate,
    ({ reviewer, note }) => {
      state.certification = { by: reviewer.name, at: nowIso(), ...(note ? { note } : {}) };
      return moveTo('certified', 'certified', reviewer.name, note);
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZCertifyPartnerSchema, raw);
        requireStage(state.stage, ['in_review'], 'certify the partner');
      },
    },
  );
  setHandler(
    rejectPartnerUpdate,
    ({ reviewer, reason }) => moveTo('rejected', 'rejected', reviewer.name, reason),
    {
      validator: (raw) => {
        parseUpdateInput(ZRejectPartnerSchema, raw);
        requireStage(state.stage, ['applied', 'in_review'], 'reject the partner');
      },
    },
  );
  setHandler(
    withdrawPartnerUpdate,
    ({ by, reason }) => moveTo('withdrawn', 'withdrawn', by.name, reason),
    {
      validator: (raw) => {
        parseUpdateInput(ZWithdrawPartnerSchema, raw);
        requireStage(state.stage, ['applied', 'in_review', 'certified'], 'withdraw the partner');
      },
    },
  );
  setHandler(
    signAttestationUpdate,
    (signature) => {
      const document = state.attestationDocument!;
      state.attestation = {
        signedBy: { name: signature.name, title: signature.title, email: signature.email },
        signedAt: nowIso(),
        ...(signature.ipAddress ? { ipAddress: signature.ipAddress } : {}),
        ...(signature.userAgent ? { userAgent: signature.userAgent } : {}),
        document,
      };
      appendHistory(state.history, { event: 'attestation_signed', stage: state.stage, actor: signature.name });
      state.contracts.forEach((id) => contractsToTell.add(id));
      return state.attestation;
    },
    {
      validator: (raw) => {
        const signature = parseUpdateInput(ZSignAttestationSchema, raw);
        requireStage(state.stage, ['applied', 'in_review', 'certified'], 'sign the attestation');
        if (state.attestation) throw new Error('The attestation is already on file: it is signed once per agency');
        if (!state.attestationDocument) throw new Error('The attestation form is not ready yet; try again in a moment');
        if (signature.email.toLowerCase() !== state.representative.email.toLowerCase()) {
          throw new Error(`email: only the approved agency representative (${state.representative.email}) may sign`);
        }
        if (signature.documentSha256 !== state.attestationDocument.sha256) {
          throw new Error('documentSha256: does not match the attestation form on record');
        }
      },
    },
  );

  if (!input.carriedOver) {
    appendHistory(state.history, { event: 'applied', stage: 'applied', actor: application.representative.name });
    upsertSearchAttributes(partnerSearchAttributes(application));
  }
  if (!state.attestationDocument) {
    state.attestationDocument = await documents.generateAttestationPdf({
      organizationName: application.organizationName,
      partnerId: application.partnerId,
      representative: application.representative,
      attestation: input.policy.attestation,
      district: input.policy.district,
      generatedAt: nowIso(),
    });
    await requestAttestation(state, input.policy.district);
  }

  for (;;) {
    await condition(() => contractsToTell.size > 0 || workflowInfo().continueAsNewSuggested);
    for (const contractWorkflowId of [...contractsToTell]) {
      contractsToTell.delete(contractWorkflowId);
      await tellContract(contractWorkflowId, standingOf(state));
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      if (contractsToTell.size === 0) {
        await continueAsNew<typeof partnerWorkflow>({ ...input, carriedOver: state });
      }
    }
  }
}

function standingOf(state: TPartnerStatus): TPartnerStanding {
  return {
    partnerId: state.partnerId,
    organizationName: state.organizationName,
    stage: state.stage,
    attestationSignedAt: state.attestation?.signedAt ?? null,
  };
}

async function tellContract(contractWorkflowId: string, standing: TPartnerStanding): Promise<void> {
  try {
    await getExternalWorkflowHandle(contractWorkflowId).signal(updatePartnerStandingSignal, standing);
  } catch (error) {
    // A closed contract no longer listens; its record stays in the agency's list.
    log.info('Contract did not take the partner standing', { contractWorkflowId, error: String(error) });
  }
}

async function requestAttestation(state: TPartnerStatus, district: string): Promise<void> {
  const document = state.attestationDocument!;
  try {
    await mail.sendNotification({
      kind: 'attestation_request',
      idempotencyKey: idempotencyKey('attestation-request'),
      to: [state.representative.email],
      attachments: [document],
      organizationName: state.organizationName,
      representativeName: state.representative.name,
      partnerId: state.partnerId,
      district,
      documentSha256: document.sha256,
    });
    appendHistory(state.history, { event: 'attestation_requested', stage: state.stage, detail: state.representative.email });
  } catch (error) {
    appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: String(error) });
  }
}

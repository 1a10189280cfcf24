import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { programStartBlockedReason, resolveDistrictSigner } from '../domain/contract-rules';
import { endOfDateMs, startOfDateMs } from '../domain/dates';
import { durationToMs } from '../domain/durations';
import {
  declineContractUpdate,
  getContractStatusQuery,
  recordSigningViewSignal,
  registerContractSignal,
  resendSignatureRequestUpdate,
  signContractUpdate,
  startProgramUpdate,
  updatePartnerStandingSignal,
  voidContractUpdate,
} from '../domain/messages';
import { ZPolicySchema } from '../domain/policy';
import {
  contractRequestSchemaFor,
  ZDeclineContractSchema,
  ZRecordViewSchema,
  ZResendSignatureRequestSchema,
  ZSignContractSchema,
  ZStartProgramSchema,
  ZVoidContractSchema,
  type TContractStatus,
  type TContractWorkflowInput,
  type TSigningEvent,
} from '../domain/schemas/contract';
import type { TContractSummary, TNotification } from '../domain/schemas/notification';
import { contractSearchAttributes, CpoNextDeadline, CpoStage } from '../domain/search-attributes';
import { partnerWorkflowId, VOIDABLE_CONTRACT_STAGES, type TContractStage, type TSignerRole } from '../domain/vocabulary';
import { documents, mail } from './activities';
import { appendHistory, idempotencyKey, nowIso, parseUpdateInput, parseWorkflowInput, requireStage } from './support';

type TClosedStage = 'expired' | 'declined' | 'voided' | 'terminated';

/** One per program: from initiation through signatures to go-live, and the gate that keeps the program from starting early. */
export async function contractWorkflow(input: TContractWorkflowInput): Promise<TContractStatus> {
  const policy = parseWorkflowInput(ZPolicySchema, input.policy, 'policy');
  const request = parseWorkflowInput(contractRequestSchemaFor(policy), input.request, 'contract request');
  const route = policy.routes[request.route]!;
  const districtSigner = resolveDistrictSigner(policy, request);
  const goLiveMs = startOfDateMs(request.goLiveDate ?? request.startDate, policy.timeZone);
  const endMs = endOfDateMs(request.endDate, policy.timeZone);

  const state: Omit<TContractStatus, 'programStartBlockedReason'> = {
    contractId: request.contractId,
    request,
    policyId: policy.policyId,
    policyVersion: policy.version,
    routeLabel: route.label,
    districtSigner,
    stage: 'initiated',
    partner: null,
    documents: { contract: null, executed: null },
    signatures: [],
    signingEvents: [],
    requestNumber: 0,
    nextDeadline: null,
    goLiveAt: new Date(goLiveMs).toISOString(),
    closedReason: null,
    programStarts: [],
    attention: null,
    history: [],
  };

  const moveTo = (stage: TContractStage, event: string, actor?: string, detail?: string): TContractStage => {
    state.stage = stage;
    appendHistory(state.history, { event, stage, ...(actor ? { actor } : {}), ...(detail ? { detail } : {}) });
    upsertSearchAttributes([
      { key: CpoStage, value: stage },
      { key: CpoNextDeadline, value: nextDeadlineOf(stage) },
    ]);
    return stage;
  };
  /** For the dashboard: when the contract next moves by itself (expiry of a request, go-live, end). */
  const nextDeadlineOf = (stage: TContractStage): Date | null => {
    if (stage === 'executed') return new Date(goLiveMs);
    if (stage === 'live') return new Date(endMs);
    return state.nextDeadline ? new Date(state.nextDeadline) : null;
  };
  const isClosed = (): boolean => state.closedReason !== null;
  /** Set by the resend update; the signature loop then sends a new request. */
  let resendRequestedBy: string | null = null;

  const recordSigningEvent = (
    type: TSigningEvent['type'],
    extra: Pick<TSigningEvent, 'ipAddress' | 'userAgent' | 'detail'> & { name?: string; email?: string } = {},
  ): void => {
    const awaited = awaitedSigner();
    if (!awaited || !state.documents.contract) return;
    state.signingEvents.push({
      at: nowIso(),
      type,
      role: awaited.role,
      requestNumber: state.requestNumber,
      documentSha256: state.documents.contract.sha256,
      ...extra,
      name: extra.name ?? awaited.name,
      email: extra.email ?? awaited.email,
    });
  };
  const close = (stage: TClosedStage, reason: string, actor?: string): TContractStage => {
    if (stage === 'voided' || stage === 'expired') recordSigningEvent(stage, { detail: reason });
    state.closedReason = reason;
    state.nextDeadline = null;
    return moveTo(stage, stage, actor, reason);
  };
  const hasSigned = (role: TSignerRole): boolean => state.signatures.some((s) => s.role === role);
  const prerequisitesMet = (): boolean =>
    state.partner?.stage === 'certified' && state.partner.attestationSignedAt !== null;

  /** The status, with why a program may not start now derived at the moment of asking. */
  const status = (): TContractStatus => ({ ...state, programStartBlockedReason: programStartBlockedReason(state.stage, state) });
  setHandler(getContractStatusQuery, status);
  setHandler(recordSigningViewSignal, (raw) => {
    const view = ZRecordViewSchema.safeParse(raw);
    // Signals cannot be refused; a view of another or an old request is simply not recorded.
    if (!view.success || view.data.role !== awaitedSigner()?.role || view.data.requestNumber !== state.requestNumber) return;
    const { ipAddress, userAgent } = view.data;
    recordSigningEvent('viewed', { ...(ipAddress ? { ipAddress } : {}), ...(userAgent ? { userAgent } : {}) });
  });
  setHandler(updatePartnerStandingSignal, (standing) => {
    state.partner = standing;
    if (isClosed() || (standing.stage !== 'withdrawn' && standing.stage !== 'rejected')) return;
    const reason = `the partner was ${standing.stage}`;
    close(VOIDABLE_CONTRACT_STAGES.includes(state.stage) ? 'voided' : 'terminated', reason);
  });
  setHandler(
    signContractUpdate,
    (signature) => {
      const record = {
        ...signature,
        signedAt: nowIso(),
        requestNumber: state.requestNumber,
      };
      const { consent: _consent, ...kept } = record;
      state.signatures.push(kept);
      recordSigningEvent('signed', {
        name: signature.name,
        email: signature.email,
        detail: `by ${signature.method}`,
        ...(signature.ipAddress ? { ipAddress: signature.ipAddress } : {}),
        ...(signature.userAgent ? { userAgent: signature.userAgent } : {}),
      });
      appendHistory(state.history, {
        event: 'signed',
        stage: state.stage,
        actor: `${signature.name} <${signature.email}>`,
        detail: `${signature.role} signature by ${signature.method}`,
      });
      return kept;
    },
    {
      validator: (raw) => {
        const signature = parseUpdateInput(ZSignContractSchema, raw);
        const awaited = awaitedSigner();
        if (!awaited) throw new Error(`Cannot sign while the stage is ${state.stage}`);
        if (signature.role !== awaited.role) {
          throw new Error(`role: the contract is waiting for the ${awaited.role} signature, not the ${signature.role}`);
        }
        if (hasSigned(signature.role)) throw new Error(`The ${signature.role} has already signed`);
        if (signature.email.toLowerCase() !== awaited.email.toLowerCase()) {
          throw new Error(`email: only ${awaited.email} may sign for the ${awaited.role}`);
        }
        if (signature.documentSha256 !== state.documents.contract?.sha256) {
          throw new Error('documentSha256: does not match the contract document on record');
        }
        requireCurrentRequest(signature.method !== 'cli', signature.requestNumber);
      },
    },
  );
  setHandler(
    declineContractUpdate,
    ({ by, reason, ipAddress, userAgent }) => {
      recordSigningEvent('declined', {
        detail: reason,
        ...(by.email ? { email: by.email } : {}),
        name: by.name,
        ...(ipAddress ? { ipAddress } : {}),
        ...(userAgent ? { userAgent } : {}),
      });
      return close('declined', reason, by.name);
    },
    {
      validator: (raw) => {
        const decline = parseUpdateInput(ZDeclineContractSchema, raw);
        requireStage(state.stage, ['awaiting_partner_signature'], 'decline the contract');
        requireCurrentRequest(false, decline.requestNumber);
        if (decline.by.email?.toLowerCase() !== request.partnerSigner.email.toLowerCase()) {
          throw new Error(`by.email: only the partner signer (${request.partnerSigner.email}) may decline`);
        }
      },
    },
  );
  setHandler(
    resendSignatureRequestUpdate,
    ({ by }) => {
      resendRequestedBy = by.name;
      return state.requestNumber + 1;
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZResendSignatureRequestSchema, raw);
        if (!awaitedSigner()) throw new Error(`Cannot resend a signature request while the stage is ${state.stage}`);
        if (resendRequestedBy !== null) throw new Error('A new signature request is already being sent');
      },
    },
  );
  setHandler(voidContractUpdate, ({ by, reason }) => close('voided', reason, by.name), {
    validator: (raw) => {
      parseUpdateInput(ZVoidContractSchema, raw);
      requireStage(state.stage, VOIDABLE_CONTRACT_STAGES, 'void the contract');
    },
  });
  setHandler(
    startProgramUpdate,
    ({ by, school }) => {
      const start = { school: school ?? 'all listed schools', by: by.name, at: nowIso() };
      state.programStarts.push(start);
      appendHistory(state.history, { event: 'program_started', stage: state.stage, actor: by.name, detail: start.school });
      return start;
    },
    {
      validator: (raw) => {
        const start = parseUpdateInput(ZStartProgramSchema, raw);
        const blocked = programStartBlockedReason(state.stage, state);
        if (blocked) throw new Error(`Program cannot start: ${blocked}`);
        if (start.school && !request.schools.includes(start.school)) {
          throw new Error(`school: "${start.school}" is not on this contract (${request.schools.join(', ')})`);
        }
      },
    },
  );

  /** Links and replies answer one request; after a resend only the newest counts. */
  function requireCurrentRequest(required: boolean, requestNumber: number | undefined): void {
    if (requestNumber === undefined) {
      if (required) throw new Error('requestNumber: is required when signing by link or email reply');
      return;
    }
    if (requestNumber !== state.requestNumber) {
      throw new Error(`requestNumber: request #${requestNumber} was replaced by request #${state.requestNumber}; use the newest email`);
    }
  }

  function awaitedSigner(): { role: TSignerRole; name: string; email: string } | null {
    if (state.stage === 'awaiting_partner_signature') return { role: 'partner', ...request.partnerSigner };
    if (state.stage === 'awaiting_district_signature') return { role: 'district', ...districtSigner };
    return null;
  }

  const summary = (): TContractSummary => ({
    contractId: request.contractId,
    programName: request.programName,
    organizationName: state.partner?.organizationName ?? request.partnerId,
    schools: request.schools,
    routeLabel: route.label,
    amountCents: request.amountCents,
    startDate: request.startDate,
    endDate: request.endDate,
    district: policy.district,
  });
  const everyone = (): string[] =>
    unique([request.partnerSigner.email, districtSigner.email, request.initiatedBy.email]);

  async function notify(notification: TNotification, event: string): Promise<boolean> {
    try {
      await mail.sendNotification(notification);
      appendHistory(state.history, { event, stage: state.stage, detail: notification.to.join(', ') });
      return true;
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
      state.attention = `The ${notification.kind.replace(/_/g, ' ')} email to ${notification.to.join(', ')} could not be delivered: ${cause}`;
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: state.attention });
      return false;
    }
  }

  /** Asks for one signature until it comes or the contract closes; a resend starts a new request. */
  async function collectSignature(role: TSignerRole): Promise<boolean> {
    for (;;) {
      const outcome = await requestSignature(role);
      if (outcome !== 'resend') return outcome === 'signed';
    }
  }

  /** Sends a request, reminds on the policy's period, and expires the contract at the deadline. */
  async function requestSignature(role: TSignerRole): Promise<'signed' | 'closed' | 'resend'> {
    const resentBy = resendRequestedBy;
    resendRequestedBy = null;
    const signer = role === 'partner' ? request.partnerSigner : districtSigner;
    const contractDocument = state.documents.contract!;
    state.requestNumber += 1;
    const requestNumber = state.requestNumber;
    const sentMs = Date.now();
    const deadlineMs = sentMs + durationToMs(policy.signature.expireAfter);
    const remindMs = durationToMs(policy.signature.remindEvery);
    state.nextDeadline = new Date(deadlineMs).toISOString();
    moveTo(
      role === 'partner' ? 'awaiting_partner_signature' : 'awaiting_district_signature',
      resentBy ? 'signature_request_resent' : 'signature_requested',
      resentBy ?? undefined,
      signer.email,
    );

    const signatureEmail = (reminderNumber: number): TNotification => ({
      kind: 'signature_request',
      idempotencyKey: idempotencyKey(`signature-request/${requestNumber}/reminder-${reminderNumber}`),
      to: [signer.email],
      attachments: [contractDocument],
      contract: summary(),
      signerName: signer.name,
      signerRole: role,
      requestNumber,
      deadline: state.nextDeadline!,
      documentSha256: contractDocument.sha256,
      reminderNumber,
    });
    // Recorded as issued before delivery, so the certificate lists it before any answer; a failed delivery shows as attention.
    recordSigningEvent(resentBy ? 'resent' : 'sent');
    await notify(signatureEmail(0), 'signature_request_sent');

    for (let reminders = 1; ; reminders++) {
      const wakeMs = Math.min(sentMs + reminders * remindMs, deadlineMs);
      const answered = await condition(() => hasSigned(role) || isClosed() || resendRequestedBy !== null, msUntil(wakeMs));
      if (answered) return hasSigned(role) && !isClosed() ? 'signed' : isClosed() ? 'closed' : 'resend';
      if (Date.now() >= deadlineMs) {
        close('expired', `the ${role} signature was not received by ${state.nextDeadline}`);
        return 'closed';
      }
      recordSigningEvent('reminded', { detail: `reminder ${reminders}` });
      await notify(signatureEmail(reminders), 'reminder_sent');
    }
  }

  async function finishClosed(): Promise<TContractStatus> {
    const stage = state.stage as TClosedStage;
    await notify(
      {
        kind: 'contract_closed',
        idempotencyKey: idempotencyKey(`closed-${stage}`),
        to: everyone(),
        contract: summary(),
        stage,
        reason: state.closedReason ?? stage,
      },
      'closure_notice_sent',
    );
    return status();
  }

  // The flow itself.
  appendHistory(state.history, { event: 'initiated', stage: 'initiated', actor: request.initiatedBy.name, detail: route.label });
  upsertSearchAttributes(contractSearchAttributes(request, policy, new Date(goLiveMs)));
  try {
    await getExternalWorkflowHandle(partnerWorkflowId(request.partnerId)).signal(registerContractSignal, {
      contractWorkflowId: workflowInfo().workflowId,
    });
  } catch {
    throw ApplicationFailure.nonRetryable(`partnerId: no partner "${request.partnerId}" is registered`, 'UnknownPartner');
  }

  moveTo('awaiting_prerequisites', 'waiting_for_prerequisites');
  await condition(() => prerequisitesMet() || isClosed());
  if (isClosed()) return finishClosed();
  appendHistory(state.history, { event: 'prerequisites_met', stage: state.stage, detail: 'partner certified, attestation on file' });

  state.documents.contract = await documents.generateContractPdf({
    request,
    organizationName: summary().organizationName,
    routeLabel: route.label,
    district: policy.district,
    districtSigner,
    generatedAt: nowIso(),
  });
  appendHistory(state.history, { event: 'document_generated', stage: state.stage, detail: state.documents.contract.filename });

  for (const role of ['partner', 'district'] as const) {
    if (!(await collectSignature(role))) return finishClosed();
  }

  state.documents.executed = await documents.generateExecutedContractPdf({
    contractDocument: state.documents.contract,
    contractId: request.contractId,
    signatures: state.signatures,
    events: state.signingEvents,
    generatedAt: nowIso(),
  });
  state.nextDeadline = null;
  moveTo('executed', 'executed', undefined, 'final signed contract received');
  await notify(
    {
      kind: 'contract_executed',
      idempotencyKey: idempotencyKey('executed'),
      to: everyone(),
      attachments: [state.documents.executed],
      contract: summary(),
      goLiveAt: state.goLiveAt,
    },
    'executed_notice_sent',
  );

  if (await condition(isClosed, msUntil(goLiveMs))) return finishClosed();
  moveTo('live', 'live', undefined, 'go-live date reached; the program may start');
  await notify({ kind: 'contract_live', idempotencyKey: idempotencyKey('live'), to: everyone(), contract: summary() }, 'live_notice_sent');

  if (await condition(isClosed, msUntil(endMs))) return finishClosed();
  close('expired', `the contract ended on ${request.endDate}`);
  return finishClosed();
}

/** condition() treats 0 as "no timeout", so a deadline already passed waits 1 ms. */
const msUntil = (epochMs: number): number => Math.max(1, epochMs - Date.now());

const unique = (emails: (string | undefined)[]): string[] => [
  ...new Set(emails.filter((e): e is string => Boolean(e)).map((e) => e.toLowerCase())),
];

import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { missingPrerequisites, requiredRecords } from '../domain/agency-records';
import { programStartBlockedReason, resolveApprover, resolveDistrictSigner, resolveRenewalParty, routeOf } from '../domain/contract-rules';
import { endOfDateMs, startOfDateMs } from '../domain/dates';
import { durationToMs } from '../domain/durations';
import { emailTextFor } from '../domain/email-text';
import {
  amendContractUpdate,
  approveContractUpdate,
  declineContractUpdate,
  declineRenewalUpdate,
  getContractStatusQuery,
  recordSigningViewSignal,
  registerContractSignal,
  renewContractUpdate,
  resendSignatureRequestUpdate,
  sendBackContractUpdate,
  signContractUpdate,
  startProgramUpdate,
  updatePartnerStandingSignal,
  voidContractUpdate,
} from '../domain/messages';
import { ZPolicySchema } from '../domain/policy';
import {
  contractRequestSchemaFor,
  routeAmountProblem,
  ZAmendContractSchema,
  ZApproveContractSchema,
  ZDeclineContractSchema,
  ZDeclineRenewalSchema,
  ZRecordViewSchema,
  ZRenewContractSchema,
  ZResendSignatureRequestSchema,
  ZSendBackContractSchema,
  ZSignContractSchema,
  ZStartProgramSchema,
  ZVoidContractSchema,
  type TAmendment,
  type TContractRequest,
  type TContractStatus,
  type TContractWorkflowInput,
  type TRenewContract,
  type TSigningEvent,
} from '../domain/schemas/contract';
import type { TDocumentRef } from '../domain/schemas/common';
import { ZPartnerStandingSchema } from '../domain/schemas/partner';
import type { TContractSummary, TNotification } from '../domain/schemas/notification';
import { renewalContractId } from '../domain/renewal';
import { nextSchoolYearName, schoolYearOf } from '../domain/school-year';
import { contractSearchAttributes, CpoNextDeadline, CpoStage, schoolSearchAttributes } from '../domain/search-attributes';
import { partnerWorkflowId, VOIDABLE_CONTRACT_STAGES, type TContractStage, type TSignerRole } from '../domain/vocabulary';
import { contracts, documents, mail } from './activities';
import { appendHistory, idempotencyKey, nowIso, parseUpdateInput, parseWorkflowInput, requireStage } from './support';

type TClosedStage = 'expired' | 'declined' | 'voided' | 'terminated';
/** Unwinds the flow to its end when the contract closed during an activity; caught there, it never fails the workflow. */
class ClosedMeanwhile extends Error {}
/** What a signature request is for: the contract itself, or an amendment to it. */
interface TSigningSubject {
  document: TDocumentRef;
  amendment: TAmendment | null;
}

/** One per program and school year: from initiation through signatures to go-live, amendments, renewal, and the start gate. */
export async function contractWorkflow(input: TContractWorkflowInput): Promise<TContractStatus> {
  const policy = parseWorkflowInput(ZPolicySchema, input.policy, 'policy');
  const request = parseWorkflowInput(contractRequestSchemaFor(policy), input.request, 'contract request');
  const route = routeOf(policy, request);
  const districtSigner = resolveDistrictSigner(policy, request);
  const approver = resolveApprover(policy, request);
  const schoolYear = schoolYearOf(request.goLiveDate ?? request.startDate, policy.schoolYear, policy.timeZone);
  const goLiveMs = startOfDateMs(request.goLiveDate ?? request.startDate, policy.timeZone);
  let endMs = endOfDateMs(request.endDate, policy.timeZone);

  const state: Omit<TContractStatus, 'programStartBlockedReason' | 'waitingFor' | 'signing'> = {
    contractId: request.contractId,
    // A copy: amendments add schools to it.
    request: { ...request, schools: [...request.schools] },
    policyId: policy.policyId,
    policyVersion: policy.version,
    routeLabel: route.label,
    districtSigner,
    schoolYear: schoolYear.name,
    stage: 'initiated',
    approval: approver ? { approverEmail: approver.email, approverName: approver.name, approvedBy: null, approvedAt: null } : null,
    partner: null,
    documents: { contract: null, executed: null },
    signatures: [],
    signingEvents: [],
    requestNumber: 0,
    nextDeadline: null,
    goLiveAt: new Date(goLiveMs).toISOString(),
    closedReason: null,
    programStarts: [],
    amendments: [],
    renewal: null,
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
  const waitingFor = (): string[] => {
    if (state.stage !== 'initiated' && state.stage !== 'awaiting_prerequisites') return [];
    const approval = state.approval && !state.approval.approvedBy ? [`approval by ${state.approval.approverEmail}`] : [];
    return [...approval, ...missingPrerequisites(policy, request, schoolYear.name, state.partner)];
  };
  /** The request out for signature now, if any. */
  let signingNow: { role: TSignerRole; subject: TSigningSubject } | null = null;
  /** Set by the resend update; the signature loop then sends a new request. */
  let resendRequestedBy: string | null = null;
  let pendingRenewal: { by: { name: string; email: string }; changes: NonNullable<TRenewContract['changes']> } | null = null;

  const signerFor = (role: TSignerRole) => (role === 'partner' ? request.partnerSigner : districtSigner);
  const awaitedSigner = (): { role: TSignerRole; name: string; email: string } | null =>
    signingNow ? { role: signingNow.role, ...signerFor(signingNow.role) } : null;
  const amendmentNumberOf = (subject: TSigningSubject | undefined) => subject?.amendment?.number;

  const recordSigningEvent = (
    type: TSigningEvent['type'],
    extra: Pick<TSigningEvent, 'ipAddress' | 'userAgent' | 'detail'> & { name?: string; email?: string } = {},
  ): void => {
    const awaited = awaitedSigner();
    if (!awaited || !signingNow) return;
    const amendmentNumber = amendmentNumberOf(signingNow.subject);
    state.signingEvents.push({
      at: nowIso(),
      type,
      role: awaited.role,
      requestNumber: state.requestNumber,
      documentSha256: signingNow.subject.document.sha256,
      ...(amendmentNumber ? { amendmentNumber } : {}),
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
  /** An amendment that will not be signed; the contract itself stays as it was. A decline records its own event. */
  const closeAmendment = (amendment: TAmendment, status: 'declined' | 'expired', reason: string, actor?: string): void => {
    if (status === 'expired') recordSigningEvent(status, { detail: reason });
    amendment.status = status;
    amendment.closedReason = reason;
    state.nextDeadline = null;
    appendHistory(state.history, { event: `amendment_${status}`, stage: state.stage, ...(actor ? { actor } : {}), detail: `amendment ${amendment.number}: ${reason}` });
  };
  const hasSigned = (role: TSignerRole, subject?: TSigningSubject): boolean =>
    state.signatures.some((s) => s.role === role && s.amendmentNumber === amendmentNumberOf(subject));
  const openAmendment = (): TAmendment | undefined =>
    state.amendments.find((a) => a.status !== 'executed' && a.status !== 'declined' && a.status !== 'expired');

  /** A view worth recording: a client's first of the current request, while the request keeps fewer than the most. */
  const isNewView = (ipAddress?: string, userAgent?: string): boolean => {
    const views = state.signingEvents.filter((e) => e.type === 'viewed' && e.requestNumber === state.requestNumber);
    return views.length < MAX_VIEWS_PER_REQUEST && !views.some((e) => e.ipAddress === ipAddress && e.userAgent === userAgent);
  };

  /** The status, with why a program may not start now derived at the moment of asking. */
  const status = (): TContractStatus => ({
    ...state,
    waitingFor: waitingFor(),
    signing: signingNow
      ? {
          role: signingNow.role,
          ...signerFor(signingNow.role),
          requestNumber: state.requestNumber,
          document: signingNow.subject.document,
          amendmentNumber: amendmentNumberOf(signingNow.subject) ?? null,
        }
      : null,
    programStartBlockedReason: programStartBlockedReason(state.stage, state),
  });
  setHandler(getContractStatusQuery, status);
  setHandler(recordSigningViewSignal, (raw) => {
    const view = ZRecordViewSchema.safeParse(raw);
    // Signals cannot be refused; a view of another or an old request is simply not recorded.
    if (!view.success || view.data.role !== awaitedSigner()?.role || view.data.requestNumber !== state.requestNumber) return;
    const { ipAddress, userAgent } = view.data;
    if (!isNewView(ipAddress, userAgent) && patched('signing-views-bounded')) return;
    recordSigningEvent('viewed', { ...(ipAddress ? { ipAddress } : {}), ...(userAgent ? { userAgent } : {}) });
  });
  setHandler(updatePartnerStandingSignal, (standing) => {
    // Signals cannot be refused; a malformed standing, or another partner's, is not recorded (and must not fail the task).
    if (!ZPartnerStandingSchema.safeParse(standing).success || standing.partnerId !== request.partnerId) return;
    state.partner = standing;
    if (isClosed() || !['withdrawn', 'rejected', 'terminated'].includes(standing.stage)) return;
    const reason = standing.endedReason ?? `the partner was ${standing.stage}`;
    close(VOIDABLE_CONTRACT_STAGES.includes(state.stage) ? 'voided' : 'terminated', reason);
  });
  setHandler(
    approveContractUpdate,
    ({ by, method }) => {
      // Changed in place: the approval request's number and deadline stay on record.
      Object.assign(state.approval!, { approvedBy: by.name, approvedAt: nowIso() });
      appendHistory(state.history, { event: 'approved', stage: state.stage, actor: `${by.name} <${by.email}>`, ...(method ? { detail: `by ${method}` } : {}) });
      return state.stage;
    },
    { validator: (raw) => requireApprovalAwaited(parseUpdateInput(ZApproveContractSchema, raw), 'approve the contract') },
  );
  setHandler(
    sendBackContractUpdate,
    ({ by, reason, method }) => {
      const actor = `${by.name} <${by.email}>`;
      state.approval!.sentBack = { by: by.name, email: by.email, reason, at: nowIso() };
      appendHistory(state.history, { event: 'approval_sent_back', stage: state.stage, actor, detail: `${method ? `by ${method}: ` : ''}${reason}` });
      return close('voided', `sent back by ${by.name}: ${reason}`, actor);
    },
    {
      validator: (raw) => {
        const sendBack = parseUpdateInput(ZSendBackContractSchema, raw);
        requireApprovalAwaited(sendBack, 'send the contract back');
        // Contracts whose approval request went out before sending back existed keep waiting for approval or a void.
        if (state.approval!.requestNumber === undefined) throw new Error('This contract cannot be sent back: it has no approval request by link; ask the office to void it');
      },
    },
  );
  setHandler(
    signContractUpdate,
    (signature) => {
      const amendmentNumber = amendmentNumberOf(signingNow?.subject);
      const { consent: _consent, ...kept } = { ...signature, signedAt: nowIso(), requestNumber: state.requestNumber, ...(amendmentNumber ? { amendmentNumber } : {}) };
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
        detail: `${signature.role} signature${amendmentNumber ? ` of amendment ${amendmentNumber}` : ''} by ${signature.method}`,
      });
      return kept;
    },
    {
      validator: (raw) => {
        const signature = parseUpdateInput(ZSignContractSchema, raw);
        const awaited = awaitedSigner();
        if (!awaited || !signingNow) throw new Error(`Cannot sign while the stage is ${state.stage}`);
        if (signature.role !== awaited.role) {
          throw new Error(`role: the contract is waiting for the ${awaited.role} signature, not the ${signature.role}`);
        }
        if (hasSigned(signature.role, signingNow.subject)) throw new Error(`The ${signature.role} has already signed`);
        if (signature.email.toLowerCase() !== awaited.email.toLowerCase()) {
          throw new Error(`email: only ${awaited.email} may sign for the ${awaited.role}`);
        }
        if (signature.documentSha256 !== signingNow.subject.document.sha256) {
          throw new Error(`documentSha256: does not match the ${signingNow.subject.amendment ? 'amendment' : 'contract document'} on record`);
        }
        requireCurrentRequest(signature.method !== 'cli', signature.requestNumber);
      },
    },
  );
  setHandler(
    declineContractUpdate,
    ({ by, reason, ipAddress, userAgent }) => {
      const amendment = signingNow?.subject.amendment;
      recordSigningEvent('declined', {
        detail: reason,
        ...(by.email ? { email: by.email } : {}),
        name: by.name,
        ...(ipAddress ? { ipAddress } : {}),
        ...(userAgent ? { userAgent } : {}),
      });
      if (!amendment) return close('declined', reason, by.name);
      closeAmendment(amendment, 'declined', reason, by.name);
      return state.stage;
    },
    {
      validator: (raw) => {
        const decline = parseUpdateInput(ZDeclineContractSchema, raw);
        if (awaitedSigner()?.role !== 'partner') throw new Error(`Cannot decline the contract while the stage is ${state.stage} (allowed while the partner's signature is awaited)`);
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
        const awaited = awaitedSigner();
        if (!awaited || !signingNow) throw new Error(`Cannot resend a signature request while the stage is ${state.stage}`);
        if (hasSigned(awaited.role, signingNow.subject)) throw new Error(`The ${awaited.role} has already signed request #${state.requestNumber}; there is nothing to resend`);
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
    amendContractUpdate,
    ({ by, addSchools, note }) => {
      const amendment: TAmendment = {
        number: state.amendments.length + 1,
        addSchools,
        ...(note ? { note } : {}),
        requestedBy: by.name,
        requestedAt: nowIso(),
        status: 'drafting',
        document: null,
        executed: null,
      };
      state.amendments.push(amendment);
      appendHistory(state.history, { event: 'amendment_requested', stage: state.stage, actor: by.name, detail: `amendment ${amendment.number} adds ${addSchools.join('; ')}` });
      return amendment.number;
    },
    {
      validator: (raw) => {
        const amendment = parseUpdateInput(ZAmendContractSchema, raw);
        requireStage(state.stage, ['live'], 'amend the contract');
        const open = openAmendment();
        if (open) throw new Error(`Amendment ${open.number} is still being signed; add schools once it is done`);
        const listed = amendment.addSchools.filter((school) => state.request.schools.includes(school));
        if (listed.length > 0) throw new Error(`addSchools: already on the contract: ${listed.join(', ')}`);
      },
    },
  );
  setHandler(
    renewContractUpdate,
    ({ by, changes }) => {
      pendingRenewal = { by, changes: changes ?? {} };
      state.renewal!.decision = 'renew';
      state.renewal!.decidedBy = `${by.name} <${by.email}>`;
      state.renewal!.decidedAt = nowIso();
      state.attention = null;
      appendHistory(state.history, { event: 'renewal_decided', stage: state.stage, actor: by.name, detail: `renew for ${state.renewal!.schoolYear}` });
      return changes?.contractId ?? renewalContractId(request.contractId, state.renewal!.schoolYear);
    },
    {
      validator: (raw) => {
        const renewal = parseUpdateInput(ZRenewContractSchema, raw);
        requireRenewalOpen();
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
      appendHistory(state.history, { event: 'renewal_declined', stage: state.stage, actor: by.name, detail: reason });
      return state.stage;
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZDeclineRenewalSchema, raw);
        requireRenewalOpen();
      },
    },
  );
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
        const pending = openAmendment();
        if (start.school && pending?.addSchools.includes(start.school)) {
          throw new Error(`Program cannot start: ${start.school} is being added by amendment ${pending.number}, which both parties have not yet signed`);
        }
        if (start.school && !state.request.schools.includes(start.school)) {
          throw new Error(`school: "${start.school}" is not on this contract (${state.request.schools.join(', ')})`);
        }
      },
    },
  );

  /** Approving and sending back: only by the route's approver, once, while the contract waits, on the current request. */
  function requireApprovalAwaited(answer: { by: { email: string }; requestNumber?: number | undefined }, action: string): void {
    if (!state.approval) throw new Error(`The ${request.route} route needs no separate approval: initiating the contract approved it`);
    if (state.approval.approvedBy) throw new Error('The contract is already approved');
    requireStage(state.stage, ['initiated'], action);
    if (answer.by.email.toLowerCase() !== state.approval.approverEmail.toLowerCase()) {
      throw new Error(`by.email: only ${state.approval.approverEmail} approves contracts on the ${request.route} route`);
    }
    if (answer.requestNumber !== undefined && answer.requestNumber !== state.approval.requestNumber) {
      throw new Error(`requestNumber: approval request #${answer.requestNumber} is not the current one (#${state.approval.requestNumber ?? 'none'}); use the newest email`);
    }
  }

  function requireRenewalOpen(): void {
    if (!state.renewal) throw new Error(`Cannot decide the renewal while the stage is ${state.stage} (renewal is decided once the contract is live)`);
    if (state.renewal.decision === 'renew' && (state.renewal.nextContractId || pendingRenewal)) {
      throw new Error(`Already renewed for ${state.renewal.schoolYear}${state.renewal.nextContractId ? ` as contract ${state.renewal.nextContractId}` : ''}`);
    }
    if (state.renewal.decision === 'not_renewed') throw new Error(`Already decided not to renew for ${state.renewal.schoolYear}`);
    if (isClosed()) throw new Error(`Cannot renew a ${state.stage} contract`);
  }

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

  const summary = (): TContractSummary => ({
    contractId: request.contractId,
    programName: request.programName,
    organizationName: state.partner?.organizationName ?? request.partnerId,
    schools: state.request.schools,
    routeLabel: route.label,
    amountCents: request.amountCents,
    startDate: request.startDate,
    endDate: request.endDate,
    district: policy.district,
    documentTitle: route.documentTitle,
    schoolYear: schoolYear.name,
  });
  const everyone = (): string[] =>
    unique([request.partnerSigner.email, districtSigner.email, request.initiatedBy.email]);

  async function notify(notification: TNotification, event: string): Promise<boolean> {
    const customText = emailTextFor(policy, notification.kind, {
      program: request.programName,
      organization: summary().organizationName,
      schoolYear: schoolYear.name,
    });
    try {
      await mail.sendNotification(customText ? { ...notification, customText } : notification);
      appendHistory(state.history, { event, stage: state.stage, detail: notification.to.join(', ') });
      return true;
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
      state.attention = `The ${notification.kind.replace(/_/g, ' ')} email to ${notification.to.join(', ')} could not be delivered: ${cause}`;
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: state.attention });
      return false;
    }
  }

  /** Asks for one signature until it comes or the contract (or amendment) closes; a resend starts a new request. */
  async function collectSignature(role: TSignerRole, subject: TSigningSubject): Promise<boolean> {
    for (;;) {
      const outcome = await requestSignature(role, subject);
      if (outcome !== 'resend') {
        signingNow = null;
        // A resend accepted in the same moment as the answer lapses with its request, not labelling the next one.
        if (resendRequestedBy !== null && patched('resend-lapses-with-its-request')) {
          appendHistory(state.history, { event: 'resend_lapsed', stage: state.stage, actor: resendRequestedBy, detail: `request #${state.requestNumber} was answered first` });
          resendRequestedBy = null;
        }
        return outcome === 'signed';
      }
    }
  }

  /** Sends a request, reminds on the policy's period, and expires the contract (or amendment) at the deadline. */
  async function requestSignature(role: TSignerRole, subject: TSigningSubject): Promise<'signed' | 'closed' | 'resend'> {
    const resentBy = resendRequestedBy;
    resendRequestedBy = null;
    const signer = signerFor(role);
    const { amendment } = subject;
    state.requestNumber += 1;
    const requestNumber = state.requestNumber;
    const sentMs = Date.now();
    const expiresMs = sentMs + durationToMs(policy.signature.expireAfter);
    // An amendment's request ends with the contract's term at the latest: the end of the term wins.
    const endsWithTerm = amendment !== null && expiresMs > endMs && patched('amendment-ends-with-term');
    const deadlineMs = endsWithTerm ? endMs : expiresMs;
    const remindMs = durationToMs(policy.signature.remindEvery);
    state.nextDeadline = new Date(deadlineMs).toISOString();
    signingNow = { role, subject };
    const awaiting = role === 'partner' ? 'awaiting_partner_signature' : 'awaiting_district_signature';
    const event = resentBy ? 'signature_request_resent' : 'signature_requested';
    if (amendment) {
      amendment.status = awaiting;
      appendHistory(state.history, { event, stage: state.stage, ...(resentBy ? { actor: resentBy } : {}), detail: `amendment ${amendment.number}: ${signer.email}` });
    } else {
      moveTo(awaiting, event, resentBy ?? undefined, signer.email);
    }
    const settled = (): boolean => isClosed() || (amendment !== null && amendment.status !== awaiting);

    const signatureEmail = (reminderNumber: number): TNotification => ({
      kind: 'signature_request',
      idempotencyKey: idempotencyKey(`signature-request/${requestNumber}/reminder-${reminderNumber}`),
      to: [signer.email],
      attachments: [subject.document],
      contract: summary(),
      signerName: signer.name,
      signerRole: role,
      requestNumber,
      deadline: state.nextDeadline!,
      documentSha256: subject.document.sha256,
      reminderNumber,
      ...(amendment ? { amendmentNumber: amendment.number } : {}),
    });
    // Recorded as issued before delivery, so the certificate lists it before any answer; a failed delivery shows as attention.
    recordSigningEvent(resentBy ? 'resent' : 'sent');
    await notify(signatureEmail(0), 'signature_request_sent');

    for (let reminders = 1; ; reminders++) {
      const wakeMs = Math.min(sentMs + reminders * remindMs, deadlineMs);
      const answered = await condition(() => hasSigned(role, subject) || settled() || resendRequestedBy !== null, msUntil(wakeMs));
      if (answered) return hasSigned(role, subject) && !settled() ? 'signed' : settled() ? 'closed' : 'resend';
      if (Date.now() >= deadlineMs) {
        const reason = endsWithTerm ? `the contract ended before the ${role} signature was received` : `the ${role} signature was not received by ${state.nextDeadline}`;
        if (amendment) closeAmendment(amendment, 'expired', reason);
        else close('expired', reason);
        return 'closed';
      }
      recordSigningEvent('reminded', { detail: `reminder ${reminders}` });
      await notify(signatureEmail(reminders), 'reminder_sent');
    }
  }

  /**
   * An activity's result, unless the contract closed while it ran (a void, or the partner's withdrawal or
   * termination): then the flow stops where it is and ends closed, instead of going on to ask for signatures
   * or execute. Contracts that ran on without this check replay as they did.
   */
  async function unlessClosedMeanwhile<T>(activity: Promise<T>): Promise<T> {
    const result = await activity;
    if (isClosed() && patched('stop-when-closed-during-activity')) throw new ClosedMeanwhile();
    return result;
  }

  /**
   * Asks the approver by email (a link and a reply address bound to this request), reminds on the policy's
   * signature period with the same link, and expires the contract at the policy's deadline.
   */
  async function requestApproval(): Promise<void> {
    const approval = state.approval!;
    approval.requestNumber = (approval.requestNumber ?? 0) + 1;
    const requestNumber = approval.requestNumber;
    const sentMs = Date.now();
    const deadlineMs = sentMs + durationToMs(policy.signature.expireAfter);
    const remindMs = durationToMs(policy.signature.remindEvery);
    const deadline = new Date(deadlineMs).toISOString();
    approval.deadline = state.nextDeadline = deadline;
    upsertSearchAttributes([{ key: CpoNextDeadline, value: new Date(deadlineMs) }]);
    const approvalEmail = (reminderNumber: number): TNotification => ({
      kind: 'approval_request',
      idempotencyKey: idempotencyKey(`approval-request/${requestNumber}/reminder-${reminderNumber}`),
      to: [approval.approverEmail],
      contract: summary(),
      approverEmail: approval.approverEmail,
      initiatedBy: request.initiatedBy.name,
      requestNumber,
      deadline,
      reminderNumber,
    });
    const decided = (): boolean => approval.approvedBy !== null || isClosed();
    await notify(approvalEmail(0), 'approval_requested');
    for (let reminders = 1; ; reminders++) {
      if (await condition(decided, msUntil(Math.min(sentMs + reminders * remindMs, deadlineMs)))) break;
      if (Date.now() >= deadlineMs) {
        close('expired', `the approval by ${approval.approverEmail} was not received by ${deadline}`);
        break;
      }
      await notify(approvalEmail(reminders), 'approval_reminder_sent');
    }
    if (!isClosed()) state.nextDeadline = null;
  }

  /** A contract sent back goes to its initiator and the district signer with the reason; the partner was never asked. */
  async function finishSentBack(): Promise<TContractStatus> {
    const sentBack = state.approval!.sentBack!;
    await notify(
      {
        kind: 'approval_sent_back',
        idempotencyKey: idempotencyKey('approval-sent-back'),
        to: unique([request.initiatedBy.email, districtSigner.email]),
        contract: summary(),
        sentBackBy: `${sentBack.by} <${sentBack.email}>`,
        reason: sentBack.reason,
      },
      'sent_back_notice_sent',
    );
    return status();
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

  /** The contract PDF, or an amendment's (which lists every school, old and added). */
  function generateDocument(listed: TContractRequest, amendment?: { number: number; addedSchools: string[] }): Promise<TDocumentRef> {
    return documents.generateContractPdf({
      request: listed,
      organizationName: summary().organizationName,
      routeLabel: route.label,
      district: policy.district,
      districtSigner,
      documentTitle: route.documentTitle,
      schoolYear: schoolYear.name,
      ...(amendment ? { amendment } : {}),
      generatedAt: nowIso(),
    });
  }

  /** Both parties sign the amendment; once they have, its schools join the contract. */
  async function runAmendment(amendment: TAmendment): Promise<void> {
    const schools = [...state.request.schools, ...amendment.addSchools];
    amendment.document = await unlessClosedMeanwhile(generateDocument({ ...state.request, schools }, { number: amendment.number, addedSchools: amendment.addSchools }));
    const subject = { document: amendment.document, amendment };
    for (const role of ['partner', 'district'] as const) {
      if (!(await collectSignature(role, subject))) return;
    }
    amendment.executed = await unlessClosedMeanwhile(documents.generateExecutedContractPdf({
      contractDocument: amendment.document,
      contractId: request.contractId,
      amendmentNumber: amendment.number,
      signatures: state.signatures.filter((s) => s.amendmentNumber === amendment.number),
      events: state.signingEvents.filter((e) => e.amendmentNumber === amendment.number),
      generatedAt: nowIso(),
    }));
    amendment.status = 'executed';
    state.nextDeadline = null;
    state.request.schools = schools;
    upsertSearchAttributes(schoolSearchAttributes(schools));
    appendHistory(state.history, { event: 'amendment_executed', stage: state.stage, detail: `amendment ${amendment.number}: ${amendment.addSchools.join('; ')} may start` });
    await notify(
      {
        kind: 'contract_executed',
        idempotencyKey: idempotencyKey(`amendment-${amendment.number}/executed`),
        to: everyone(),
        attachments: [amendment.executed],
        contract: summary(),
        goLiveAt: nowIso(),
        amendmentNumber: amendment.number,
      },
      'amendment_notice_sent',
    );
  }

  /** Spring of the school year: ask whoever initiates the route whether the program continues next year. */
  async function askForRenewal(reminderNumber: number): Promise<void> {
    const renewal = state.renewal!;
    if (reminderNumber === 0) renewal.requestedAt = nowIso();
    await notify(
      {
        kind: 'renewal_request',
        idempotencyKey: idempotencyKey(`renewal-request/${renewal.schoolYear}/reminder-${reminderNumber}`),
        to: [renewal.askedEmail],
        contract: summary(),
        nextSchoolYear: renewal.schoolYear,
        decideBy: new Date(endMs).toISOString(),
        reminderNumber,
      },
      reminderNumber === 0 ? 'renewal_requested' : 'renewal_reminder_sent',
    );
  }

  async function startRenewal(): Promise<void> {
    const renewal = state.renewal!;
    const decision = pendingRenewal!;
    try {
      const next = await contracts.startRenewalContract({ previous: request, renewal: decision, nextSchoolYear: renewal.schoolYear });
      renewal.nextContractId = next.contractId;
      appendHistory(state.history, { event: 'renewed', stage: state.stage, actor: decision.by.name, detail: `contract ${next.contractId} for ${renewal.schoolYear}` });
    } catch (error) {
      const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
      // The decision is open again, so the renewal can be retried with changes.
      renewal.decision = null;
      state.attention = `Next year's contract could not start: ${cause}`;
      appendHistory(state.history, { event: 'renewal_failed', stage: state.stage, detail: state.attention });
    } finally {
      pendingRenewal = null;
    }
  }

  function endOfYearReason(): string {
    const renewal = state.renewal;
    const ended = endMs < schoolYear.endsAtMs ? `the contract ended on ${request.endDate}` : `the ${schoolYear.name} school year ended`;
    if (!renewal) return `the contract ended on ${request.endDate}`;
    if (renewal.nextContractId) return `${ended}; the program continues in ${renewal.schoolYear} under contract ${renewal.nextContractId}`;
    if (renewal.decision === 'not_renewed') return `${ended} and the program was not renewed for ${renewal.schoolYear}: ${renewal.reason}`;
    return `${ended} and the program has not renewed for ${renewal.schoolYear}; it may not start in the new school year until a ${renewal.schoolYear} contract is signed`;
  }

  // The flow itself.
  appendHistory(state.history, { event: 'initiated', stage: 'initiated', actor: request.initiatedBy.name, detail: route.label });
  upsertSearchAttributes(contractSearchAttributes(request, policy, new Date(goLiveMs)));
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

  try {
    if (state.approval) {
      if (patched('approval-by-link')) {
        await requestApproval();
      } else {
        await notify(
          {
            kind: 'approval_request',
            idempotencyKey: idempotencyKey('approval-request'),
            to: [state.approval.approverEmail],
            contract: summary(),
            approverEmail: state.approval.approverEmail,
            initiatedBy: request.initiatedBy.name,
          },
          'approval_requested',
        );
        await condition(() => state.approval!.approvedBy !== null || isClosed());
      }
      if (isClosed()) return state.approval.sentBack ? finishSentBack() : finishClosed();
    }

    moveTo('awaiting_prerequisites', 'waiting_for_prerequisites');
    await condition(() => waitingFor().length === 0 || isClosed());
    if (isClosed()) return finishClosed();
    appendHistory(state.history, { event: 'prerequisites_met', stage: state.stage, detail: 'partner certified, agency records on file' });

    state.documents.contract = await unlessClosedMeanwhile(generateDocument(request));
    appendHistory(state.history, { event: 'document_generated', stage: state.stage, detail: state.documents.contract.filename });

    const contractSubject = { document: state.documents.contract, amendment: null };
    for (const role of ['partner', 'district'] as const) {
      if (!(await collectSignature(role, contractSubject))) return finishClosed();
    }

    state.documents.executed = await unlessClosedMeanwhile(
      documents.generateExecutedContractPdf({
        contractDocument: state.documents.contract,
        contractId: request.contractId,
        signatures: state.signatures,
        events: state.signingEvents,
        generatedAt: nowIso(),
      }),
    );
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
    const openRenewal = (): void => {
      // Contracts started before school years were modelled keep running to their end date without renewal.
      if (!patched('school-year-renewal')) return;
      endMs = Math.min(endMs, schoolYear.endsAtMs);
      state.renewal = { schoolYear: nextSchoolYearName(schoolYear.name), askedEmail: resolveRenewalParty(policy, request).email, requestedAt: null, decision: null };
    };
    // The renewal opens with go-live, so a decision taken while the go-live email is sent is not refused.
    const renewalOpensWithLive = patched('renewal-opens-with-live');
    if (renewalOpensWithLive) openRenewal();
    moveTo('live', 'live', undefined, 'go-live date reached; the program may start');
    await notify({ kind: 'contract_live', idempotencyKey: idempotencyKey('live'), to: everyone(), contract: summary() }, 'live_notice_sent');
    if (!renewalOpensWithLive) openRenewal();
    const renewalRemindMs = durationToMs(policy.renewal.remindEvery);
    let renewalReminders = 0;
    /** When the next renewal email is due, or null when none is. */
    const renewalEmailDueMs = (): number | null => {
      const renewal = state.renewal;
      if (!renewal || renewal.decision !== null) return null;
      if (!renewal.requestedAt) return schoolYear.renewalRequestsAtMs;
      return Date.parse(renewal.requestedAt) + (renewalReminders + 1) * renewalRemindMs;
    };
    for (;;) {
      const wakeMs = Math.min(endMs, renewalEmailDueMs() ?? endMs);
      await condition(() => isClosed() || openAmendment()?.status === 'drafting' || pendingRenewal !== null, msUntil(wakeMs));
      if (isClosed()) return finishClosed();
      const amendment = openAmendment();
      if (amendment?.status === 'drafting') {
        await runAmendment(amendment);
        continue;
      }
      if (pendingRenewal) {
        await startRenewal();
        continue;
      }
      if (Date.now() >= endMs) break;
      const due = renewalEmailDueMs();
      if (due !== null && Date.now() >= due) {
        const first = !state.renewal!.requestedAt;
        if (!first) renewalReminders += 1;
        await askForRenewal(first ? 0 : renewalReminders);
      }
    }
    close('expired', endOfYearReason());
    return finishClosed();
  } catch (error) {
    if (error instanceof ClosedMeanwhile) return finishClosed();
    throw error;
  }
}

/** Reloads and link scanners must not grow the certificate of completion without bound. */
const MAX_VIEWS_PER_REQUEST = 20;

/** condition() treats 0 as "no timeout", so a deadline already passed waits 1 ms. */
const msUntil = (epochMs: number): number => Math.max(1, epochMs - Date.now());

const unique = (emails: (string | undefined)[]): string[] => [
  ...new Set(emails.filter((e): e is string => Boolean(e)).map((e) => e.toLowerCase())),
];

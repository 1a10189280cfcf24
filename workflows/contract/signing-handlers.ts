import { patched, setHandler } from '@temporalio/workflow';
import { declineContractUpdate, recordSigningViewSignal, resendSignatureRequestUpdate, signContractUpdate } from '../../domain/messages';
import {
  ZDeclineContractSchema,
  ZRecordViewSchema,
  ZResendSignatureRequestSchema,
  ZSignContractSchema,
} from '../../domain/schemas/contract';
import { nowIso, parseUpdateInput } from '../support';
import type { TContractRun } from './contract-run';
import { amendmentNumberOf, awaitedSigner, hasSigned } from './derived';
import { close, closeAmendment, note, recordSigningEvent } from './transitions';

/** Reloads and link scanners must not grow the certificate of completion without bound. */
const MAX_VIEWS_PER_REQUEST = 20;

/** Views, signatures, declines and resends of the request out for signature. */
export function setSigningHandlers(run: TContractRun): void {
  const { state, request } = run;

  setHandler(recordSigningViewSignal, (raw) => {
    const view = ZRecordViewSchema.safeParse(raw);
    // Signals cannot be refused; a view of another or an old request is simply not recorded.
    if (!view.success || view.data.role !== awaitedSigner(run)?.role || view.data.requestNumber !== state.requestNumber) return;
    const { ipAddress, userAgent } = view.data;
    if (!isNewView(run, ipAddress, userAgent) && patched('signing-views-bounded')) return;
    recordSigningEvent(run, 'viewed', { ...(ipAddress ? { ipAddress } : {}), ...(userAgent ? { userAgent } : {}) });
  });

  setHandler(
    signContractUpdate,
    (signature) => {
      const amendmentNumber = amendmentNumberOf(run.signingNow?.subject);
      const { consent: _consent, ...kept } = {
        ...signature,
        signedAt: nowIso(),
        requestNumber: state.requestNumber,
        ...(amendmentNumber ? { amendmentNumber } : {}),
      };
      state.signatures.push(kept);
      recordSigningEvent(run, 'signed', {
        name: signature.name,
        email: signature.email,
        detail: `by ${signature.method}`,
        ...(signature.ipAddress ? { ipAddress: signature.ipAddress } : {}),
        ...(signature.userAgent ? { userAgent: signature.userAgent } : {}),
      });
      const what = `${signature.role} signature${amendmentNumber ? ` of amendment ${amendmentNumber}` : ''} by ${signature.method}`;
      note(run, 'signed', what, `${signature.name} <${signature.email}>`);
      return kept;
    },
    {
      validator: (raw) => {
        const signature = parseUpdateInput(ZSignContractSchema, raw);
        const awaited = awaitedSigner(run);
        if (!awaited || !run.signingNow) throw new Error(`Cannot sign while the stage is ${state.stage}`);
        if (signature.role !== awaited.role) {
          throw new Error(`role: the contract is waiting for the ${awaited.role} signature, not the ${signature.role}`);
        }
        if (hasSigned(run, signature.role, run.signingNow.subject)) throw new Error(`The ${signature.role} has already signed`);
        if (signature.email.toLowerCase() !== awaited.email.toLowerCase()) {
          throw new Error(`email: only ${awaited.email} may sign for the ${awaited.role}`);
        }
        if (signature.documentSha256 !== run.signingNow.subject.document.sha256) {
          throw new Error(
            `documentSha256: does not match the ${run.signingNow.subject.amendment ? 'amendment' : 'contract document'} on record`,
          );
        }
        requireCurrentRequest(run, signature.method !== 'cli', signature.requestNumber);
      },
    },
  );

  setHandler(
    declineContractUpdate,
    ({ by, reason, ipAddress, userAgent }) => {
      const amendment = run.signingNow?.subject.amendment;
      recordSigningEvent(run, 'declined', {
        detail: reason,
        ...(by.email ? { email: by.email } : {}),
        name: by.name,
        ...(ipAddress ? { ipAddress } : {}),
        ...(userAgent ? { userAgent } : {}),
      });
      if (!amendment) return close(run, 'declined', reason, by.name);
      closeAmendment(run, amendment, 'declined', reason, by.name);
      return state.stage;
    },
    {
      validator: (raw) => {
        const decline = parseUpdateInput(ZDeclineContractSchema, raw);
        if (awaitedSigner(run)?.role !== 'partner')
          throw new Error(
            `Cannot decline the contract while the stage is ${state.stage} (allowed while the partner's signature is awaited)`,
          );
        requireCurrentRequest(run, false, decline.requestNumber);
        if (decline.by.email?.toLowerCase() !== request.partnerSigner.email.toLowerCase()) {
          throw new Error(`by.email: only the partner signer (${request.partnerSigner.email}) may decline`);
        }
      },
    },
  );

  setHandler(
    resendSignatureRequestUpdate,
    ({ by }) => {
      run.resendRequestedBy = by.name;
      return state.requestNumber + 1;
    },
    {
      validator: (raw) => {
        parseUpdateInput(ZResendSignatureRequestSchema, raw);
        const awaited = awaitedSigner(run);
        if (!awaited || !run.signingNow) throw new Error(`Cannot resend a signature request while the stage is ${state.stage}`);
        if (hasSigned(run, awaited.role, run.signingNow.subject))
          throw new Error(`The ${awaited.role} has already signed request #${state.requestNumber}; there is nothing to resend`);
        if (run.resendRequestedBy !== null) throw new Error('A new signature request is already being sent');
      },
    },
  );
}

/** A view worth recording: a client's first of the current request, while the request keeps fewer than the most. */
function isNewView({ state }: TContractRun, ipAddress?: string, userAgent?: string): boolean {
  const views = state.signingEvents.filter((e) => e.type === 'viewed' && e.requestNumber === state.requestNumber);
  return views.length < MAX_VIEWS_PER_REQUEST && !views.some((e) => e.ipAddress === ipAddress && e.userAgent === userAgent);
}

/** Links and replies answer one request; after a resend only the newest counts. */
function requireCurrentRequest({ state }: TContractRun, required: boolean, requestNumber: number | undefined): void {
  if (requestNumber === undefined) {
    if (required) throw new Error('requestNumber: is required when signing by link or email reply');
    return;
  }
  if (requestNumber !== state.requestNumber) {
    throw new Error(`requestNumber: request #${requestNumber} was replaced by request #${state.requestNumber}; use the newest email`);
  }
}

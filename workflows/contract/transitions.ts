import { upsertSearchAttributes } from '@temporalio/workflow';
import type { TAmendment, TSigningEvent } from '../../domain/schemas/contract';
import { CpoNextDeadline, CpoStage } from '../../domain/search-attributes';
import type { TContractStage } from '../../domain/vocabulary';
import { appendHistory, nowIso } from '../support';
import type { TClosedStage, TContractRun } from './contract-run';
import { amendmentNumberOf, awaitedSigner, movesByItselfAt } from './derived';

// The changes of state that the history records.

/** An entry on the contract's history, at the stage it is in. */
export function note({ state }: TContractRun, event: string, detail?: string, actor?: string): void {
  appendHistory(state.history, { event, stage: state.stage, ...(actor ? { actor } : {}), ...(detail !== undefined ? { detail } : {}) });
}

export function moveTo(run: TContractRun, stage: TContractStage, event: string, actor?: string, detail?: string): TContractStage {
  run.state.stage = stage;
  appendHistory(run.state.history, { event, stage, ...(actor ? { actor } : {}), ...(detail ? { detail } : {}) });
  upsertSearchAttributes([
    { key: CpoStage, value: stage },
    { key: CpoNextDeadline, value: movesByItselfAt(run) },
  ]);
  return stage;
}

/** An event on the certificate of completion, about the request out for signature now (none: nothing is recorded). */
export function recordSigningEvent(
  run: TContractRun,
  type: TSigningEvent['type'],
  extra: Pick<TSigningEvent, 'ipAddress' | 'userAgent' | 'detail'> & { name?: string; email?: string } = {},
): void {
  const awaited = awaitedSigner(run);
  if (!awaited || !run.signingNow) return;
  const amendmentNumber = amendmentNumberOf(run.signingNow.subject);
  run.state.signingEvents.push({
    at: nowIso(),
    type,
    role: awaited.role,
    requestNumber: run.state.requestNumber,
    documentSha256: run.signingNow.subject.document.sha256,
    ...(amendmentNumber ? { amendmentNumber } : {}),
    ...extra,
    name: extra.name ?? awaited.name,
    email: extra.email ?? awaited.email,
  });
}

/** The contract closes: it takes no more steps, and the flow ends with the closure notice. */
export function close(run: TContractRun, stage: TClosedStage, reason: string, actor?: string): TContractStage {
  if (stage === 'voided' || stage === 'expired') recordSigningEvent(run, stage, { detail: reason });
  run.state.closedReason = reason;
  return moveTo(run, stage, stage, actor, reason);
}

/** An amendment that will not be signed; the contract itself stays as it was. A decline records its own event. */
export function closeAmendment(
  run: TContractRun,
  amendment: TAmendment,
  status: 'declined' | 'expired',
  reason: string,
  actor?: string,
): void {
  if (status === 'expired') recordSigningEvent(run, status, { detail: reason });
  amendment.status = status;
  amendment.closedReason = reason;
  note(run, `amendment_${status}`, `amendment ${amendment.number}: ${reason}`, actor);
}

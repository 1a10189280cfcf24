import { ActivityFailure, patched } from '@temporalio/workflow';
import { resolveRenewalParty } from '../../domain/contract-rules';
import { durationToMs } from '../../domain/durations';
import { nextSchoolYearName } from '../../domain/school-year';
import { contracts } from '../activities';
import { nowIso } from '../support';
import type { TContractRun } from './contract-run';
import { notify, renewalEmail } from './notifications';
import { note } from './transitions';

/** From go-live, the contract ends with its school year, and the office is asked in spring whether it continues. */
export function openRenewal(run: TContractRun): void {
  // Contracts started before school years were modelled keep running to their end date without renewal.
  if (!patched('school-year-renewal')) return;
  const { policy, request, schoolYear } = run;
  run.endMs = Math.min(run.endMs, schoolYear.endsAtMs);
  run.state.renewal = {
    schoolYear: nextSchoolYearName(schoolYear.name),
    askedEmail: resolveRenewalParty(policy, request).email,
    requestedAt: null,
    decision: null,
  };
}

/** When the next renewal email is due, or null when none is. */
export function renewalEmailDueMs(run: TContractRun): number | null {
  const renewal = run.state.renewal;
  if (!renewal || renewal.decision !== null) return null;
  if (!renewal.requestedAt) return run.schoolYear.renewalRequestsAtMs;
  return Date.parse(renewal.requestedAt) + (run.renewalReminders + 1) * durationToMs(run.policy.renewal.remindEvery);
}

/** The renewal request, then a reminder each period until the office decides. */
export async function askForRenewal(run: TContractRun): Promise<void> {
  const renewal = run.state.renewal!;
  const first = !renewal.requestedAt;
  if (first) renewal.requestedAt = nowIso();
  else run.renewalReminders += 1;
  await notify(run, renewalEmail(run, first ? 0 : run.renewalReminders), first ? 'renewal_requested' : 'renewal_reminder_sent');
}

/** Starts next year's contract as decided; a refusal reopens the decision and shows on the contract. */
export async function startRenewal(run: TContractRun): Promise<void> {
  const { state, request } = run;
  const renewal = state.renewal!;
  const decision = run.pendingRenewal!;
  try {
    const next = await contracts.startRenewalContract({ previous: request, renewal: decision, nextSchoolYear: renewal.schoolYear });
    renewal.nextContractId = next.contractId;
    note(run, 'renewed', `contract ${next.contractId} for ${renewal.schoolYear}`, decision.by.name);
  } catch (error) {
    const cause = error instanceof ActivityFailure && error.cause ? error.cause.message : String(error);
    // The decision is open again, so the renewal can be retried with changes.
    renewal.decision = null;
    state.attention = `Next year's contract could not start: ${cause}`;
    note(run, 'renewal_failed', state.attention);
  } finally {
    run.pendingRenewal = null;
  }
}

/** Why the contract ends at the end of its term, and what becomes of the program. */
export function endOfYearReason({ state, request, schoolYear, endMs }: TContractRun): string {
  const renewal = state.renewal;
  const ended = endMs < schoolYear.endsAtMs ? `the contract ended on ${request.endDate}` : `the ${schoolYear.name} school year ended`;
  if (!renewal) return `the contract ended on ${request.endDate}`;
  if (renewal.nextContractId) return `${ended}; the program continues in ${renewal.schoolYear} under contract ${renewal.nextContractId}`;
  if (renewal.decision === 'not_renewed') return `${ended} and the program was not renewed for ${renewal.schoolYear}: ${renewal.reason}`;
  return `${ended} and the program has not renewed for ${renewal.schoolYear}; it may not start in the new school year until a ${renewal.schoolYear} contract is signed`;
}

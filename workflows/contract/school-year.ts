import { patched } from '@temporalio/workflow';
import { runAmendment } from './amendments';
import type { TContractRun } from './contract-run';
import { openAmendment } from './derived';
import { liveEmail, notify } from './notifications';
import { askForRenewal, endOfYearReason, openRenewal, renewalEmailDueMs, startRenewal } from './renewal';
import { close, moveTo } from './transitions';
import { msUntil, waitOrClose } from './wait-or-close';

/** On its go-live date the executed contract goes live: programs may start, and its renewal opens. */
export async function goLive(run: TContractRun): Promise<void> {
  await waitOrClose(run, () => false, msUntil(run.goLiveMs));
  // The renewal opens with go-live, so a decision taken while the go-live email is sent is not refused.
  const renewalOpensWithLive = patched('renewal-opens-with-live');
  if (renewalOpensWithLive) openRenewal(run);
  moveTo(run, 'live', 'live', undefined, 'go-live date reached; the program may start');
  await notify(run, liveEmail(run), 'live_notice_sent');
  if (!renewalOpensWithLive) openRenewal(run);
}

/**
 * The live contract until the end of its term: amendments are signed as the office asks for them, next year's
 * contract starts when the office renews, and the renewal request (then its reminders) goes out from spring.
 * At the end of the term the contract expires, saying what becomes of the program.
 */
export async function runSchoolYear(run: TContractRun): Promise<void> {
  for (;;) {
    const wakeMs = Math.min(run.endMs, renewalEmailDueMs(run) ?? run.endMs);
    await waitOrClose(run, () => openAmendment(run)?.status === 'drafting' || run.pendingRenewal !== null, msUntil(wakeMs));
    const amendment = openAmendment(run);
    if (amendment?.status === 'drafting') {
      await runAmendment(run, amendment);
      continue;
    }
    if (run.pendingRenewal) {
      await startRenewal(run);
      continue;
    }
    if (Date.now() >= run.endMs) break;
    const due = renewalEmailDueMs(run);
    if (due !== null && Date.now() >= due) await askForRenewal(run);
  }
  close(run, 'expired', endOfYearReason(run));
}

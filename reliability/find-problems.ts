import type { TAutoSignerStats } from './auto-signer';
import type { TLifecycleReport } from './drive-lifecycles';

/**
 * What makes a scenario fail: a contract not live, a signature not recorded exactly once, an email the workflow
 * counts as sent that never arrived. Duplicate emails are reported, not failed: one can happen when a worker dies
 * after the mail server accepted a message and before the sent-mail log recorded it (same Message-ID, so mail
 * clients show one).
 */
export function findProblems(report: TLifecycleReport): string[] {
  return [
    ...(report.live === report.contracts ? [] : [`${report.contracts - report.live} of ${report.contracts} contracts are not live`]),
    ...report.signatureProblems,
    ...(report.signatureUpdatesAccepted === 2 * report.contracts
      ? []
      : [`${report.signatureUpdatesAccepted} signatures accepted for ${report.contracts} contracts (expected ${2 * report.contracts})`]),
    ...report.emailsLost.map((id) => `email ${id} recorded as sent but never received`),
  ];
}

/** While a part is down a signer may only be told to try again: HTTP 503 or SMTP 451, never a 500. */
export function signerProblems(stats: TAutoSignerStats): string[] {
  return Object.entries(stats.serverErrors)
    .filter(([status]) => status !== '503' && status !== '451')
    .map(([status, count]) => `signers were answered ${status} ${count} times`);
}

import type { TReliabilityStack } from '../stack';
import { runServerRestartScenario, type TServerRestartOptions, type TServerRestartReport } from './server-restart';

export interface TEmailReplyRestartReport extends TServerRestartReport {
  /** The listener's automatic answers, by outcome (`signed`, `already_signed`…): 2 `signed` per contract expected. */
  answers: Record<string, number>;
  /** Replies the listener accepted (250) that did not sign: answered anything but "signed" or "already signed". */
  repliesLost: number;
}

/**
 * The server-restart scenario with every partner and district signer signing by replying to the request email over
 * SMTP. A reply that arrives while the Temporal server is down gets 451 and is sent again, as a sending mail server
 * does; none is lost or answered "not understood", and each signature is recorded once.
 */
export async function runEmailReplyRestartScenario(
  stack: TReliabilityStack,
  options: Omit<TServerRestartOptions, 'signBy'>,
): Promise<TEmailReplyRestartReport> {
  const report = await runServerRestartScenario(stack, { ...options, signBy: { replyPort: stack.repliesPort } });
  const answers: Record<string, number> = {};
  for (const mail of stack.mail.messages) {
    const outcome = mail.parsed.headers.get('x-cpo-reply-outcome');
    if (typeof outcome === 'string') answers[outcome] = (answers[outcome] ?? 0) + 1;
  }
  const repliesLost = report.signer.signed - (answers.signed ?? 0) - (answers.already_signed ?? 0);
  return { ...report, answers, repliesLost };
}

/** Beyond findProblems: a reply lost, or a signature confirmed more or less than once per signer. */
export function replyProblems(report: TEmailReplyRestartReport): string[] {
  return [
    ...(report.repliesLost === 0 ? [] : [`${report.repliesLost} accepted replies did not sign`]),
    ...(report.answers.signed === 2 * report.contracts
      ? []
      : [`${report.answers.signed ?? 0} "signed" answers for ${report.contracts} contracts (expected ${2 * report.contracts})`]),
  ];
}

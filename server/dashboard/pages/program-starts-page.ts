import type { TContractStatus } from '../../../domain/schemas/contract';
import { formatWhen, h, notice, stageBadge, table } from './components';

/** The start recorded at this school, or for all the contract's schools at once (`cpo program start` without --school). */
export const startAtSchool = (status: TContractStatus, school: string) =>
  status.programStarts.find((start) => start.school === school || start.school === 'all listed schools');

/** The schools whose programs this account may start. */
export function schoolsPage(schools: readonly string[]): string {
  return `<h1>Program starts</h1><p>Programs may start at a school only once their final signed contract is received and its go-live date has come. Choose a school:</p>
<ul class="schools">${schools.map((school) => `<li><a href="/dashboard/schools/${encodeURIComponent(school)}">${h(school)}</a></li>`).join('')}</ul>`;
}

/** "Programs at this school: may they start?", with the reason when not and a button recording the start. */
export function programStartsPage(view: {
  school: string;
  contracts: { status: TContractStatus; organizationName: string; blockedReason: string | null }[];
  timeZone: string;
  message?: { text: string; tone: 'ok' | 'error' };
}): string {
  const { school } = view;
  const rows = view.contracts.map(({ status, organizationName, blockedReason }) => {
    const started = startAtSchool(status, school);
    const answer = started
      ? `<span class="badge good">Started</span> ${h(started.by)}, ${formatWhen(started.at, view.timeZone)}`
      : blockedReason === null
        ? '<strong>Yes</strong>, it may start'
        : `<span class="blocked">No: ${h(blockedReason)}</span>`;
    const button = started
      ? ''
      : `<form method="post" action="/dashboard/schools/${encodeURIComponent(school)}/program-starts"><input type="hidden" name="contractId" value="${h(status.contractId)}"><button type="submit">Record the start</button></form>`;
    return [
      `<a href="/dashboard/contracts/${encodeURIComponent(status.contractId)}">${h(status.request.programName)}</a>`,
      h(organizationName),
      stageBadge(status.stage),
      `<span data-may-start="${blockedReason === null ? 'yes' : 'no'}">${answer}</span>`,
      button,
    ].map((cell, index) => (index === 0 ? `<span data-contract="${h(status.contractId)}">${cell}</span>` : cell));
  });
  return `<h1>Programs at ${h(school)}: may they start?</h1>${view.message ? notice(view.message.text, view.message.tone) : ''}
${table(['Program', 'Partner', 'Stage', 'May it start?', ''], rows, 'No open contract names this school.')}
<p class="muted"><a href="/dashboard/schools">Other schools</a></p>`;
}

import type { TContractStatus } from '../../domain/schemas/contract';
import type { TSignerRole } from '../../domain/vocabulary';
import { formatInstant } from '../../domain/format-instant';
import { escapeHtml, page } from './layout';

export const money = (cents: number): string => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

/** What the final contract will carry, said where the person signs and once they have. */
export const sealedNotice = (sealedBy: string): string =>
  `The final signed contract is digitally signed by ${sealedBy}: any PDF reader can check that it has not been changed since.`;

/** The document, the consent to sign electronically, typed name and title; and, for the partner, Decline. */
export function signingPage(status: TContractStatus, role: TSignerRole, token: string, timeZone: string, sealedBy?: string): string {
  const { request } = status;
  const signer = role === 'partner' ? request.partnerSigner : status.districtSigner;
  const action = `/sign/${encodeURIComponent(token)}`;
  const what = role === 'partner' ? 'Sign' : 'Countersign';
  const facts: [string, string][] = [
    ['Program', request.programName],
    ['Partner', status.partner?.organizationName ?? request.partnerId],
    ['Schools', request.schools.join('; ')],
    ['Route', status.routeLabel],
    ['Amount', money(request.amountCents)],
    ['Term', `${request.startDate} to ${request.endDate}`],
    ['Sign by', status.nextDeadline ? formatInstant(status.nextDeadline, timeZone) : ''],
    ['Request', `#${status.requestNumber}`],
    ['Document SHA-256', status.signing?.document.sha256 ?? ''],
  ];
  const decline =
    role === 'partner'
      ? `<form method="post" action="${action}/decline">
  <h2>Decline</h2>
  <label>Why are you declining? <textarea name="reason" required minlength="3" maxlength="2000" rows="3"></textarea></label>
  <button class="secondary" type="submit">Decline this contract</button>
</form>`
      : '';
  return page(
    `${what} the contract for ${request.programName}`,
    `<h1>${escapeHtml(what)} the contract for ${escapeHtml(request.programName)}</h1>
<p class="muted">Contract ${escapeHtml(status.contractId)} · for ${escapeHtml(signer.name)} &lt;${escapeHtml(signer.email)}&gt;</p>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<p><a href="${action}/document.pdf">Open the contract (PDF)</a></p>
<iframe src="${action}/document.pdf" title="The contract"></iframe>
${sealedBy ? `<p data-sealed-by>${escapeHtml(sealedNotice(sealedBy))}</p>` : ''}
<form method="post" action="${action}">
  <h2>${escapeHtml(what)}</h2>
  <label><input type="checkbox" name="consent" value="yes" required>
    I agree to sign this contract electronically. My typed name below is my signature and has the same effect as a handwritten one (ESIGN Act, UETA).</label>
  <label>Full name <input type="text" name="name" required maxlength="200" autocomplete="name"></label>
  <label>Title <input type="text" name="title" maxlength="200" autocomplete="organization-title"></label>
  <button type="submit">${escapeHtml(what)} the contract</button>
</form>
${decline}`,
  );
}

import { formatInstant } from '../../domain/format-instant';
import type { TContractStatus } from '../../domain/schemas/contract';
import { escapeHtml, page } from './layout';
import { money } from './signing-page';

/** What the approver typed and what is wrong with it, shown again beside the field. */
export interface TApprovalFormState {
  confirmError?: string;
  reason?: string;
  reasonError?: string;
}

const fieldError = (message: string | undefined, id: string): string =>
  message ? `<p class="notice error" id="${id}" role="alert">${escapeHtml(message)}</p>` : '';

/** The contract's summary, its PDF when one exists, and two forms: Approve, and Send back with a required reason. */
export function approvalPage(status: TContractStatus, token: string, timeZone: string, form: TApprovalFormState = {}): string {
  const { request, approval } = status;
  const action = `/approve/${encodeURIComponent(token)}`;
  const facts: [string, string][] = [
    ['Program', request.programName],
    ['Partner', status.partner?.organizationName ?? request.partnerId],
    ['Schools', request.schools.join('; ')],
    ['Amount', money(request.amountCents)],
    ['Term', `${request.startDate} to ${request.endDate}`],
    ['Route', status.routeLabel],
    ...(request.payingDepartment ? [['Paying department', request.payingDepartment.name] as [string, string]] : []),
    ['Initiated by', `${request.initiatedBy.name}${request.initiatedBy.email ? ` <${request.initiatedBy.email}>` : ''}`],
    ['Approval request', `#${approval?.requestNumber ?? ''}`],
    ['Decide by', approval?.deadline ? formatInstant(approval.deadline, timeZone) : ''],
  ];
  const document = status.documents.contract
    ? `<p><a href="${action}/document.pdf">Open the contract (PDF)</a></p>`
    : `<p class="muted">The contract PDF is made once you approve and the partner's records are on file; the partner then signs it.</p>`;
  return page(
    `Approve the contract for ${request.programName}`,
    `<h1>Approve the contract for ${escapeHtml(request.programName)}</h1>
<p class="muted">Contract ${escapeHtml(status.contractId)} · for ${escapeHtml(approval?.approverEmail ?? '')}</p>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${document}
<form method="post" action="${action}">
  <h2>Approve</h2>
  <label><input type="checkbox" name="confirm" value="yes" required${form.confirmError ? ' aria-describedby="confirm-error"' : ''}>
    I approve this contract; it may go to the partner for signature.</label>
  ${fieldError(form.confirmError, 'confirm-error')}
  <button type="submit">Approve the contract</button>
</form>
<form method="post" action="${action}/send-back">
  <h2>Send back</h2>
  <label for="reason">Why are you sending it back? ${escapeHtml(request.initiatedBy.name)} gets your reason; the contract is voided so a corrected one can be started.</label>
  <textarea id="reason" name="reason" required minlength="3" maxlength="2000" rows="4"${form.reasonError ? ' aria-describedby="reason-error"' : ''}>${escapeHtml(form.reason ?? '')}</textarea>
  ${fieldError(form.reasonError, 'reason-error')}
  <button class="secondary" type="submit">Send the contract back</button>
</form>`,
  );
}

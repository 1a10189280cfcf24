import type { TWaitingOn } from '../../../client/activity-delays';
import { canApproveContract, isOffice, refusalFor } from '../../../domain/staff-access';
import type { TContractStatus, TRenewal } from '../../../domain/schemas/contract';
import type { THistoryEntry, TDocumentRef } from '../../../domain/schemas/common';
import { CLOSED_CONTRACT_STAGES, VOIDABLE_CONTRACT_STAGES } from '../../../domain/vocabulary';
import { contractScopeOf, type TSignedInStaff } from '../require-access';
import {
  categoryLabel,
  certifyForm,
  delayNotices,
  formatAmount,
  formatWhen,
  h,
  notice,
  reasonForm,
  serviceLabel,
  stageBadge,
  stageLabel,
  table,
} from './components';
import { isOpenAmendment } from '../../../domain/is-open-amendment';

export function timeline(history: THistoryEntry[], timeZone: string): string {
  return `<ol class="timeline">${[...history]
    .reverse()
    .map(
      (entry) =>
        `<li data-event="${h(entry.event)}"><strong>${h(entry.event.replace(/_/g, ' '))}</strong>${entry.actor ? ` · ${h(entry.actor)}` : ''}${entry.detail ? ` — ${h(entry.detail)}` : ''}<br><span class="when">${formatWhen(entry.at, timeZone)} · ${h(stageLabel(entry.stage))}</span></li>`,
    )
    .join('')}</ol>`;
}

/** A document of the contract, or of its amendment `amendment`. */
const documentLink = (
  contractId: string,
  kind: 'contract' | 'executed',
  document: TDocumentRef | null,
  label: string,
  amendment?: number,
): string =>
  document
    ? `<li><a href="/api/contracts/${h(contractId)}/documents/${kind}${amendment ? `?amendment=${amendment}` : ''}" data-document="${amendment ? `amendment-${amendment}-` : ''}${kind}">${h(label)}</a> <span class="muted">${h(document.filename)} · ${Math.ceil(document.size / 1024)} KB · SHA-256 ${h(document.sha256.slice(0, 12))}…${document.signedBy ? ` · <span data-signed-by>digitally signed by ${h(document.signedBy)}</span>` : ''}</span></li>`
    : '';

function amendments(status: TContractStatus): string {
  return table(
    ['Amendment', 'Adds schools', 'Status', 'Documents'],
    status.amendments.map((a) => {
      const documents = [
        documentLink(status.contractId, 'contract', a.document, 'For signature (PDF)', a.number),
        documentLink(status.contractId, 'executed', a.executed, 'Signed by both parties (PDF)', a.number),
      ].join('');
      return [
        String(a.number),
        a.addSchools.map(h).join(', '),
        `${stageBadge(a.status)}${a.closedReason ? ` <span class="muted">${h(a.closedReason)}</span>` : ''}`,
        documents ? `<ul>${documents}</ul>` : '—',
      ];
    }),
    'No amendment.',
  );
}

/** Where next school year's renewal stands. */
function renewalState(renewal: TRenewal, timeZone: string): string {
  if (renewal.decision === 'not_renewed')
    return `Not renewed for ${h(renewal.schoolYear)} by ${h(renewal.decidedBy ?? '')}: ${h(renewal.reason ?? '')}`;
  if (renewal.decision === 'renew') {
    const next = renewal.nextContractId
      ? `as <a href="/dashboard/contracts/${h(renewal.nextContractId)}">${h(renewal.nextContractId)}</a>`
      : '— next year’s contract is being started';
    return `Renewed for ${h(renewal.schoolYear)} by ${h(renewal.decidedBy ?? '')} ${next}`;
  }
  return `Not decided for ${h(renewal.schoolYear)}; ${h(renewal.askedEmail)} ${renewal.requestedAt ? `was asked ${formatWhen(renewal.requestedAt, timeZone)}` : 'has not been asked yet'}`;
}

/** What staff may do now, each a form posting to the action route; refusals come back on this page. */
function actions(status: TContractStatus, staff: TSignedInStaff): string {
  const base = `/dashboard/contracts/${h(status.contractId)}/actions`;
  const forms: string[] = [];
  const partnerStage = status.partner?.stage;
  const { approval, signing, renewal } = status;
  if (status.stage === 'initiated' && approval && !approval.approvedBy) {
    const approver = approval.approverEmail.toLowerCase() === staff.email.toLowerCase();
    if (approver && canApproveContract(staff.access, contractScopeOf(status))) {
      forms.push(`<form method="post" action="${base}/approve"><button type="submit">Approve</button></form>`);
    } else {
      forms.push(`<p class="muted">Approval by ${h(approval.approverEmail)}, who has the emailed request; only they may approve.</p>`);
    }
  }
  // Every other action is the office's: other roles see no button they may not use.
  if (!isOffice(staff.access))
    return [...forms, `<p class="muted" data-role-note>Other actions: ${h(refusalFor(staff.access, 'take them'))}.</p>`].join('');
  if (status.stage === 'awaiting_prerequisites' && partnerStage === 'applied') {
    forms.push(`<form method="post" action="${base}/start-review"><button type="submit">Start the partner's review</button></form>`);
  }
  if (status.stage === 'awaiting_prerequisites' && partnerStage === 'in_review')
    forms.push(certifyForm(`${base}/certify`, 'Certify the partner'));
  if (signing?.role === 'district') {
    const what = signing.amendmentNumber ? ` (amendment ${signing.amendmentNumber})` : '';
    if (signing.email.toLowerCase() === staff.email.toLowerCase()) {
      forms.push(
        `<form method="post" action="${base}/countersign"><label><input type="checkbox" name="consent" value="yes" required> I agree to sign electronically for ${h(status.districtSigner.office)}${what}</label><button type="submit">Countersign</button></form>`,
      );
    } else {
      forms.push(
        `<p class="muted">Countersignature${what} by ${h(signing.name)} &lt;${h(signing.email)}&gt; (${h(status.districtSigner.office)}), who has the emailed link; only they may countersign here.</p>`,
      );
    }
  }
  if (signing)
    forms.push(
      `<form method="post" action="${base}/resend"><button type="submit" class="plain">Resend the signature request</button></form>`,
    );
  if (VOIDABLE_CONTRACT_STAGES.includes(status.stage)) forms.push(reasonForm(`${base}/void`, 'Why is it voided?', 'Void'));
  if (status.stage === 'live' && !status.amendments.some(isOpenAmendment)) {
    forms.push(
      `<form method="post" action="${base}/amend"><textarea name="addSchools" rows="2" required placeholder="Schools to add, one a line" aria-label="Schools to add"></textarea><input type="text" name="note" placeholder="Note (optional)" aria-label="Amendment note"><button type="submit">Add schools by amendment</button></form>`,
    );
  }
  if (renewal && renewal.decision === null && !CLOSED_CONTRACT_STAGES.includes(status.stage)) {
    forms.push(`<form method="post" action="${base}/renew"><button type="submit">Renew for ${h(renewal.schoolYear)}</button></form>`);
    forms.push(reasonForm(`${base}/decline-renewal`, 'Why is it not renewed?', 'Do not renew'));
  }
  return forms.length > 0 ? forms.join('') : '<p class="muted">No action is open at this stage.</p>';
}

export function contractPage(view: {
  status: TContractStatus & Partial<TWaitingOn>;
  staff: TSignedInStaff;
  timeZone: string;
  message?: { text: string; tone: 'ok' | 'error' } | undefined;
}): string {
  const { status, timeZone } = view;
  const request = status.request;
  const blocked = status.programStartBlockedReason;
  const facts: [string, string][] = [
    [
      'Partner',
      status.partner
        ? `<a href="/dashboard/partners/${h(request.partnerId)}">${h(status.partner.organizationName)}</a> ${stageBadge(status.partner.stage)}`
        : h(request.partnerId),
    ],
    ['Route', `${h(status.routeLabel)} <span class="muted">(policy ${h(status.policyId)} ${h(status.policyVersion)})</span>`],
    ['School year', h(status.schoolYear)],
    ['Category', h(categoryLabel(request.category))],
    ['Schools', request.schools.map(h).join(', ')],
    ['Services', request.services.map((s) => h(serviceLabel(s))).join(', ')],
    ['Amount', formatAmount(request.amountCents)],
    ['Term', `${h(request.startDate)} to ${h(request.endDate)}`],
    ['Go-live', formatWhen(status.goLiveAt, timeZone)],
    ['Partner signer', `${h(request.partnerSigner.name)} &lt;${h(request.partnerSigner.email)}&gt;`],
    ['District signer', `${h(status.districtSigner.name)} &lt;${h(status.districtSigner.email)}&gt;`],
    ['Next deadline', formatWhen(status.nextDeadline, timeZone)],
  ];
  const { approval } = status;
  if (approval) {
    const sentBack =
      approval.sentBack &&
      `Sent back by ${h(approval.sentBack.by)} ${formatWhen(approval.sentBack.at, timeZone)}: ${h(approval.sentBack.reason)}`;
    facts.push([
      'Approval',
      approval.approvedBy
        ? `${h(approval.approvedBy)} ${formatWhen(approval.approvedAt, timeZone)}`
        : sentBack || `Waiting for ${h(approval.approverEmail)}`,
    ]);
  }
  if (status.waitingFor.length > 0)
    facts.push(['Waiting for', `<ul data-waiting-for>${status.waitingFor.map((what) => `<li>${h(what)}</li>`).join('')}</ul>`]);
  if (request.renewalOf) facts.push(['Renews', `<a href="/dashboard/contracts/${h(request.renewalOf)}">${h(request.renewalOf)}</a>`]);
  if (status.renewal) facts.push(['Renewal', renewalState(status.renewal, timeZone)]);
  const signatures = table(
    ['Role', 'Signer', 'When', 'How'],
    status.signatures.map((s) => [
      h(s.role),
      `${h(s.name)} &lt;${h(s.email)}&gt;`,
      formatWhen(s.signedAt, timeZone),
      h(s.method.replace('_', ' ')),
    ]),
    'No signature yet.',
  );
  const documents = [
    documentLink(status.contractId, 'contract', status.documents.contract, 'Contract for signature (PDF)'),
    documentLink(status.contractId, 'executed', status.documents.executed, 'Final signed contract with certificate (PDF)'),
  ].join('');
  return `${view.message ? notice(view.message.text, view.message.tone) : ''}
<h1>${h(request.programName)} ${stageBadge(status.stage)}</h1>
<p class="muted">Contract ${h(status.contractId)}</p>
${blocked ? `<p class="notice error" data-blocked>Program may not start: ${h(blocked)}</p>` : '<p class="notice ok">The program may start.</p>'}
${status.attention ? `<p class="notice error">${h(status.attention)}</p>` : ''}
${delayNotices(view.status, timeZone)}
<div class="grid2">
<div>
<section class="card"><h2>Contract</h2><dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl></section>
<section class="card"><h2>Signatures</h2>${signatures}</section>
${status.amendments.length > 0 ? `<section class="card"><h2>Amendments</h2>${amendments(status)}</section>` : ''}
<section class="card"><h2>Documents</h2>${documents ? `<ul>${documents}</ul>` : '<p class="muted">The contract document is made once the contract waits for nothing more.</p>'}</section>
</div>
<div>
<section class="card actions"><h2>Actions</h2>${actions(status, view.staff)}</section>
<section class="card"><h2>Timeline</h2>${timeline(status.history, timeZone)}</section>
</div>
</div>`;
}

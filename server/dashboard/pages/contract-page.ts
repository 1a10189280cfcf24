import type { TStaffIdentity } from '../../../config/load-staff-users';
import type { TContractStatus } from '../../../domain/schemas/contract';
import type { THistoryEntry, TDocumentRef } from '../../../domain/schemas/common';
import { VOIDABLE_CONTRACT_STAGES } from '../../../domain/vocabulary';
import { categoryLabel, formatAmount, formatWhen, h, notice, serviceLabel, stageBadge, stageLabel, table } from './components';

export function timeline(history: THistoryEntry[], timeZone: string): string {
  return `<ol class="timeline">${[...history]
    .reverse()
    .map(
      (entry) =>
        `<li data-event="${h(entry.event)}"><strong>${h(entry.event.replace(/_/g, ' '))}</strong>${entry.actor ? ` · ${h(entry.actor)}` : ''}${entry.detail ? ` — ${h(entry.detail)}` : ''}<br><span class="when">${formatWhen(entry.at, timeZone)} · ${h(stageLabel(entry.stage))}</span></li>`,
    )
    .join('')}</ol>`;
}

const documentLink = (contractId: string, kind: 'contract' | 'executed', document: TDocumentRef | null, label: string): string =>
  document
    ? `<li><a href="/api/contracts/${h(contractId)}/documents/${kind}" data-document="${kind}">${h(label)}</a> <span class="muted">${h(document.filename)} · ${Math.ceil(document.size / 1024)} KB · SHA-256 ${h(document.sha256.slice(0, 12))}…</span></li>`
    : '';

/** What staff may do now, each a form posting to the action route; refusals come back on this page. */
function actions(status: TContractStatus, staff: TStaffIdentity): string {
  const base = `/dashboard/contracts/${h(status.contractId)}/actions`;
  const forms: string[] = [];
  const partnerStage = status.partner?.stage;
  if (status.stage === 'awaiting_prerequisites' && partnerStage === 'applied') {
    forms.push(`<form method="post" action="${base}/start-review"><button type="submit">Start the partner's review</button></form>`);
  }
  if (status.stage === 'awaiting_prerequisites' && partnerStage === 'in_review') {
    forms.push(`<form method="post" action="${base}/certify"><input type="text" name="note" placeholder="Certification note (optional)" aria-label="Certification note"><button type="submit">Certify the partner</button></form>`);
  }
  if (status.stage === 'awaiting_district_signature') {
    if (status.districtSigner.email.toLowerCase() === staff.email.toLowerCase()) {
      forms.push(`<form method="post" action="${base}/countersign"><label><input type="checkbox" name="consent" value="yes" required> I agree to sign electronically for ${h(status.districtSigner.office)}</label><button type="submit">Countersign</button></form>`);
    } else {
      forms.push(`<p class="muted">Countersignature by ${h(status.districtSigner.name)} &lt;${h(status.districtSigner.email)}&gt; (${h(status.districtSigner.office)}), who has the emailed link; only they may countersign here.</p>`);
    }
  }
  if (status.stage === 'awaiting_partner_signature' || status.stage === 'awaiting_district_signature') {
    forms.push(`<form method="post" action="${base}/resend"><button type="submit" class="plain">Resend the signature request</button></form>`);
  }
  if (VOIDABLE_CONTRACT_STAGES.includes(status.stage)) {
    forms.push(`<form method="post" action="${base}/void"><input type="text" name="reason" required minlength="3" placeholder="Why is it voided?" aria-label="Reason for voiding"><button type="submit" class="danger">Void</button></form>`);
  }
  return forms.length > 0 ? forms.join('') : '<p class="muted">No action is open at this stage.</p>';
}

export function contractPage(view: {
  status: TContractStatus;
  staff: TStaffIdentity;
  timeZone: string;
  message?: { text: string; tone: 'ok' | 'error' } | undefined;
}): string {
  const { status, timeZone } = view;
  const request = status.request;
  const blocked = status.programStartBlockedReason;
  const facts: [string, string][] = [
    ['Partner', status.partner ? `<a href="/dashboard/partners/${h(request.partnerId)}">${h(status.partner.organizationName)}</a> ${stageBadge(status.partner.stage)}` : h(request.partnerId)],
    ['Route', `${h(status.routeLabel)} <span class="muted">(policy ${h(status.policyId)} ${h(status.policyVersion)})</span>`],
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
  const signatures = table(
    ['Role', 'Signer', 'When', 'How'],
    status.signatures.map((s) => [h(s.role), `${h(s.name)} &lt;${h(s.email)}&gt;`, formatWhen(s.signedAt, timeZone), h(s.method.replace('_', ' '))]),
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
<div class="grid2">
<div>
<section class="card"><h2>Contract</h2><dl class="facts">${facts.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl></section>
<section class="card"><h2>Signatures</h2>${signatures}</section>
<section class="card"><h2>Documents</h2>${documents ? `<ul>${documents}</ul>` : '<p class="muted">The contract document is made once the partner is certified and its attestation is on file.</p>'}</section>
</div>
<div>
<section class="card actions"><h2>Actions</h2>${actions(status, view.staff)}</section>
<section class="card"><h2>Timeline</h2>${timeline(status.history, timeZone)}</section>
</div>
</div>`;
}

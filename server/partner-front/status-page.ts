import type { TAgencyItemToSign } from '../../domain/list-agency-items-to-sign';
import { formatInstant } from '../../domain/format-instant';
import { RECORD_LABELS, STAGE_LABELS } from '../../domain/labels';
import type { TContractStatus } from '../../domain/schemas/contract';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import type { TPartnerStage } from '../../domain/vocabulary';
import { escapeHtml, page } from '../pages/layout';

const OFFICE_NEEDS: Record<TPartnerStage, string> = {
  applied:
    'The office has your application and will start reviewing it against the certification criteria. Nothing is needed from you now.',
  in_review: 'The office is reviewing your application against the certification criteria; it will contact you if it needs anything.',
  certified: 'Your organization is certified. Each program still needs a signed contract before it starts.',
  rejected: 'The application was not accepted.',
  withdrawn: 'The partnership was withdrawn.',
  terminated: 'The district ended the partnership.',
};

/** What a contract waits for, in words for the partner. */
function waitsFor(contract: TContractStatus): string {
  switch (contract.stage) {
    case 'initiated':
      return contract.approval && !contract.approval.approvedBy ? 'the district’s approval' : 'the district';
    case 'awaiting_prerequisites':
      return contract.waitingFor.join('; ') || 'the agency records';
    case 'awaiting_partner_signature':
      return 'your signature (see the signing email)';
    case 'awaiting_district_signature':
      return 'the district’s countersignature';
    case 'executed':
      return 'its go-live date';
    default:
      return 'nothing';
  }
}

export interface TStatusPageInput {
  partner: TPartnerStatus;
  contracts: TContractStatus[];
  toSign: TAgencyItemToSign[];
  token: string;
  timeZone: string;
}

/** The partner's own page: read-only, everything through its token. */
export function partnerStatusPage({ partner, contracts, toSign, token, timeZone }: TStatusPageInput): string {
  const when = (iso: string | null): string => (iso ? formatInstant(iso, timeZone) : '—');
  const items = toSign.length
    ? `<ul>${toSign.map((item) => `<li>${escapeHtml(item.label)}${item.link ? ` — <a href="${escapeHtml(item.link)}">${item.kind === 'safety_attestation' ? 'sign' : 'affirm'} online</a>` : ' — the office will email you a request'}</li>`).join('')}</ul>`
    : '<p>Nothing: every agency record is on file.</p>';
  const onFile = [
    ...partner.attestations.map(
      (a) =>
        `${RECORD_LABELS.safety_attestation}${a.schoolYear ? ` for ${a.schoolYear}` : ''}: signed by ${a.signedBy.name} ${when(a.signedAt)}`,
    ),
    ...partner.records.map(
      (r) =>
        `${RECORD_LABELS[r.kind]}${r.schoolYear ? ` for ${r.schoolYear}` : ''}: ${r.method === 'web' || r.method === 'email_reply' ? 'affirmed' : 'recorded'} by ${r.by} ${when(r.at)}`,
    ),
  ];
  const filed = onFile.length
    ? `<ul id="on-file">${onFile.map((line) => `<li>${escapeHtml(line[0]!.toUpperCase() + line.slice(1))}</li>`).join('')}</ul>`
    : '<p>Nothing yet.</p>';
  const rows = contracts.map((c) => {
    const pdf = c.documents.executed
      ? `<a href="/partner/${token}/contracts/${encodeURIComponent(c.contractId)}/executed.pdf">signed PDF</a>`
      : '—';
    return `<tr><td>${escapeHtml(c.request.programName)}<br><span class="muted">${escapeHtml(c.contractId)} · ${escapeHtml(c.schoolYear)}</span></td><td>${escapeHtml(STAGE_LABELS[c.stage])}</td><td>${escapeHtml(waitsFor(c))}</td><td>${escapeHtml(when(c.nextDeadline))}</td><td>${pdf}</td></tr>`;
  });
  const table = rows.length
    ? `<table><thead><tr><th>Program</th><th>Stage</th><th>Waits for</th><th>Deadline</th><th>Document</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '<p>No contracts yet: the department, school or office that works with you starts one for each program.</p>';
  return page(
    `${partner.organizationName} — partner page`,
    `<h1>${escapeHtml(partner.organizationName)}</h1>
<p class="muted">Partner id ${escapeHtml(partner.partnerId)} · representative ${escapeHtml(partner.representative.name)} · times in ${escapeHtml(timeZone)}</p>
<h2>Application</h2>
<dl><dt>Stage</dt><dd id="partner-stage">${escapeHtml(STAGE_LABELS[partner.stage])}</dd><dt>What happens now</dt><dd>${escapeHtml(OFFICE_NEEDS[partner.stage])}${partner.endedReason ? ` ${escapeHtml(partner.endedReason)}` : ''}</dd></dl>
<h2>What your agency must still sign</h2>
${items}
<h2>On file</h2>
${filed}
<h2>Contracts</h2>
${table}
<p class="muted">This page is read-only and only for your organization. Do not forward this link.</p>
<style>table { border-collapse: collapse; width: 100%; } th, td { text-align: left; border-bottom: 1px solid #ddd; padding: .3rem; vertical-align: top; }</style>`,
  );
}

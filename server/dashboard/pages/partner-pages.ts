import type { TWaitingOn } from '../../../client/activity-delays';
import type { TPartnerListing } from '../../../client/search/search-partners';
import { pendingRecordRequests, recordRequestsOf } from '../../../domain/record-requests-of';
import type { TPartnerStatus } from '../../../domain/schemas/partner';
import { isOffice, refusalFor } from '../../../domain/staff-access';
import { AGENCY_RECORD_KINDS, CERTIFICATION_CRITERIA, PARTNER_STAGES, SERVICE_TYPES, type TPartnerStage } from '../../../domain/vocabulary';
import {
  categoryLabel,
  certifyForm,
  delayNotices,
  formatWhen,
  h,
  notice,
  options,
  queryString,
  reasonForm,
  recordLabel,
  serviceLabel,
  stageBadge,
  stageLabel,
  table,
} from './components';
import type { TSignedInStaff } from '../require-access';
import { timeline } from './contract-page';

export function partnersPage(view: {
  search: { stage?: string | undefined; service?: string | undefined; text?: string | undefined };
  partners: TPartnerListing[];
  nextPageToken: string | null;
  timeZone: string;
}): string {
  const { search } = view;
  const rows = view.partners.map((partner) => [
    `<a href="/dashboard/partners/${h(partner.partnerId)}">${h(partner.organizationName)}</a><br><span class="muted">${h(partner.partnerId)}</span>`,
    stageBadge(partner.stage),
    partner.services.map((s) => h(serviceLabel(s))).join(', '),
    formatWhen(partner.startedAt, view.timeZone),
  ]);
  const next = view.nextPageToken
    ? `<p class="pager"><a href="/dashboard/partners${queryString({ ...search, pageToken: view.nextPageToken })}">Next page</a></p>`
    : '';
  return `<h1>Partners</h1>
<form class="filters" method="get" action="/dashboard/partners" role="search">
<label>Stage<select name="stage">${options(PARTNER_STAGES, search.stage, stageLabel, 'Any stage')}</select></label>
<label>Service<select name="service">${options(SERVICE_TYPES, search.service, serviceLabel, 'Any service')}</select></label>
<label>Name<input type="search" name="text" value="${h(search.text ?? '')}" placeholder="words of the name"></label>
<button type="submit">Filter</button> <a href="/dashboard/partners">Clear</a>
</form>
${table(['Organization', 'Stage', 'Services', 'Applied'], rows, 'No partner matches these filters.')}${next}`;
}

/** Staff record these for the agency; the safety attestation is signed by its representative instead. */
const RECORDED_BY_STAFF = AGENCY_RECORD_KINDS.filter((kind) => kind !== 'safety_attestation');
const ACTIVE_STAGES: readonly TPartnerStage[] = ['applied', 'in_review', 'certified'];

export function partnerPage(view: {
  status: TPartnerStatus & Partial<TWaitingOn>;
  staff: TSignedInStaff;
  timeZone: string;
  message?: { text: string; tone: 'ok' | 'error' } | undefined;
}): string {
  const { status, timeZone } = view;
  const base = `/dashboard/partners/${h(status.partnerId)}/actions`;
  const forms: string[] = [];
  const office = isOffice(view.staff.access);
  if (status.stage === 'applied')
    forms.push(`<form method="post" action="${base}/start-review"><button type="submit">Start the review</button></form>`);
  if (status.stage === 'in_review') forms.push(certifyForm(`${base}/certify`, 'Certify'));
  if (status.stage === 'applied' || status.stage === 'in_review') forms.push(reasonForm(`${base}/reject`, 'Why is it rejected?', 'Reject'));
  if (ACTIVE_STAGES.includes(status.stage)) {
    forms.push(
      `<form method="post" action="${base}/records"><select name="kind" aria-label="Agency record">${options(RECORDED_BY_STAFF, undefined, recordLabel, null)}</select><textarea name="statement" rows="2" required minlength="10" placeholder="What the agency affirmed, agreed or described" aria-label="Statement"></textarea><button type="submit">Record an agency record</button></form>`,
    );
  }
  if (status.stage === 'certified')
    forms.push(reasonForm(`${base}/terminate`, 'Why is the partnership terminated for cause?', 'Terminate for cause'));
  // Other roles see no button they may not use.
  const actionsHtml = !office
    ? `<p class="muted" data-role-note>${h(refusalFor(view.staff.access, 'act on partners').replace(/^./, (first) => first.toUpperCase()))}.</p>`
    : forms.length
      ? forms.join('')
      : '<p class="muted">No action is open at this stage.</p>';
  const canResend = office && ACTIVE_STAGES.includes(status.stage);
  // The latest request of each school year: a resend replaces the earlier ones.
  const attestation =
    [...new Map(status.attestationRequests.map((request) => [request.schoolYear, request])).values()]
      .map((request) => {
        const signed = status.attestations.find((a) => a.schoolYear === request.schoolYear);
        if (signed)
          return `${h(request.schoolYear)}: signed by ${h(signed.signedBy.name)} (${h(signed.signedBy.title)}) ${formatWhen(signed.signedAt, timeZone)}`;
        const resend = canResend
          ? `<form method="post" action="${base}/resend-attestation"><button type="submit" class="plain">Resend the attestation form</button></form>`
          : '';
        return `<span data-attestation-request="${h(request.schoolYear)}">${h(request.schoolYear)}: not signed yet${request.expiredAt ? `, expired ${formatWhen(request.expiredAt, timeZone)}` : ''}${resend}</span>`;
      })
      .join('<br>') || 'Not requested yet';
  const { certification } = status;
  const certified = certification
    ? `${h(certification.by)} ${formatWhen(certification.at, timeZone)}${certification.checklist ? `, all ${CERTIFICATION_CRITERIA.length} criteria met` : ''}${certification.note ? ` — ${h(certification.note)}` : ''}`
    : 'Not certified';
  const requested = pendingRecordRequests(status).map((request) => {
    const when = request.expiredAt
      ? `expired ${formatWhen(request.expiredAt, timeZone)}`
      : `sent ${formatWhen(request.requestedAt, timeZone)}`;
    const seen = [
      request.viewedAt ? `opened ${formatWhen(request.viewedAt, timeZone)}` : 'not opened yet',
      ...(request.reminders ? [`${request.reminders} reminder${request.reminders > 1 ? 's' : ''}`] : []),
    ];
    const resend = canResend
      ? `<form method="post" action="${base}/resend-record"><input type="hidden" name="kind" value="${h(request.kind)}"><button type="submit" class="plain">Resend the request</button></form>`
      : '';
    return `<li data-record-request="${h(request.kind)}">${h(recordLabel(request.kind))}${request.schoolYear ? ` for ${h(request.schoolYear)}` : ''}: request #${recordRequestsOf(status, request).length} ${when}, ${seen.join(', ')}${resend}</li>`;
  });
  const records = table(
    ['Record', 'School year', 'Statement', 'Recorded'],
    status.records.map((r) => [
      h(recordLabel(r.kind)),
      h(r.schoolYear ?? 'every year'),
      h(r.statement),
      `${h(r.by)} ${formatWhen(r.at, timeZone)}`,
    ]),
    'No agency record yet.',
  );
  return `${view.message ? notice(view.message.text, view.message.tone) : ''}
<h1>${h(status.organizationName)} ${stageBadge(status.stage)}</h1>
${delayNotices(status, timeZone)}
<div class="grid2">
<div>
<section class="card"><h2>Agency</h2><dl class="facts">
<dt>Representative</dt><dd>${h(status.representative.name)}, ${h(status.representative.title)} &lt;${h(status.representative.email)}&gt;</dd>
<dt>Services</dt><dd>${status.services.map((s) => h(serviceLabel(s))).join(', ')}</dd>
<dt>Categories</dt><dd>${status.categories.map((c) => h(categoryLabel(c))).join(', ')}</dd>
<dt>Certification</dt><dd>${certified}</dd>
<dt>Safety attestation</dt><dd>${attestation}</dd>
${status.endedReason ? `<dt>Ended</dt><dd>${h(status.endedReason)}</dd>` : ''}
</dl></section>
<section class="card"><h2>Agency records</h2>${records}${requested.length ? `<h3>Asked of the representative</h3><ul>${requested.join('')}</ul>` : ''}</section>
<section class="card"><h2>Contracts</h2>${
    status.contracts.length
      ? `<ul>${status.contracts
          .map((id) => id.replace(/^contract-/, ''))
          .map((id) => `<li><a href="/dashboard/contracts/${h(id)}">${h(id)}</a></li>`)
          .join('')}</ul>`
      : '<p class="muted">No contract yet.</p>'
  }</section>
</div>
<div>
<section class="card actions"><h2>Actions</h2>${actionsHtml}</section>
<section class="card"><h2>Timeline</h2>${timeline(status.history, timeZone)}</section>
</div>
</div>`;
}

import { formatInstant } from '../../domain/format-instant';
import { RECORD_LABELS } from '../../domain/labels';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import type { TAgencyRecordClaims } from '../../security/agency-record-token';
import { escapeHtml, page } from './layout';

export interface TAffirmationPageInput {
  status: TPartnerStatus;
  claims: TAgencyRecordClaims;
  token: string;
  statement: string;
  timeZone: string;
}

/** The policy's statement for one agency record, the consent to affirm electronically, typed full name and title. */
export function affirmationPage({ status, claims, token, statement, timeZone }: TAffirmationPageInput): string {
  const label = RECORD_LABELS[claims.kind];
  const facts: [string, string][] = [
    ['Partner', status.organizationName],
    ['Partner id', status.partnerId],
    ...(claims.schoolYear ? [['School year', claims.schoolYear] as [string, string]] : []),
    ['Representative', `${status.representative.name} <${status.representative.email}>`],
    ['Affirm by', formatInstant(new Date(claims.expiresAt * 1000).toISOString(), timeZone)],
  ];
  return page(
    `Affirm the ${label}`,
    `<h1>Affirm the ${escapeHtml(label)}</h1>
<p class="muted">For ${escapeHtml(status.organizationName)}. It is given once for the whole agency${claims.schoolYear ? ' and school year' : ''} by its approved representative.</p>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h2>The agency affirms that</h2>
<blockquote>${escapeHtml(statement)}</blockquote>
<form method="post" action="/affirm/${encodeURIComponent(token)}">
  <label><input type="checkbox" name="consent" value="yes" required>
    I agree to affirm this statement electronically for the agency. My typed name below is my signature and has the same effect as a handwritten one (ESIGN Act, UETA).</label>
  <label>Full name <input type="text" name="name" required maxlength="200" autocomplete="name"></label>
  <label>Title <input type="text" name="title" required maxlength="200" autocomplete="organization-title"></label>
  <button type="submit">Affirm</button>
</form>`,
  );
}

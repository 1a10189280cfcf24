import { formatInstant } from '../../domain/format-instant';
import type { TAttestationRequest, TPartnerStatus } from '../../domain/schemas/partner';
import type { TAttestationClaims } from '../../security/attestation-token';
import { escapeHtml, page } from './layout';

export interface TAttestationPageInput {
  status: TPartnerStatus;
  request: TAttestationRequest;
  claims: TAttestationClaims;
  token: string;
  attestation: { title: string; statements: readonly string[] };
  timeZone: string;
}

/** The attestation form and its statements, the consent to sign electronically, typed full name and title. */
export function attestationPage({ status, request, claims, token, attestation, timeZone }: TAttestationPageInput): string {
  const action = `/attest/${encodeURIComponent(token)}`;
  const facts: [string, string][] = [
    ['Partner', status.organizationName],
    ['Partner id', status.partnerId],
    ['School year', request.schoolYear],
    ['Representative', `${status.representative.name} <${status.representative.email}>`],
    ['Sign by', formatInstant(new Date(claims.expiresAt * 1000).toISOString(), timeZone)],
    ['Request', `#${claims.requestNumber}`],
    ['Document SHA-256', request.document.sha256],
  ];
  return page(
    `Sign the ${attestation.title}`,
    `<h1>Sign the ${escapeHtml(attestation.title)}</h1>
<p class="muted">For ${escapeHtml(status.organizationName)}, school year ${escapeHtml(request.schoolYear)}. It is signed once for the whole agency by its approved representative.</p>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h2>The agency attests that</h2>
<ol>${attestation.statements.map((statement) => `<li>${escapeHtml(statement)}</li>`).join('')}</ol>
<p><a href="${action}/document.pdf">Open the attestation (PDF)</a></p>
<iframe src="${action}/document.pdf" title="The attestation"></iframe>
<form method="post" action="${action}">
  <h2>Sign</h2>
  <label><input type="checkbox" name="consent" value="yes" required>
    I agree to sign this attestation electronically for the agency. My typed name below is my signature and has the same effect as a handwritten one (ESIGN Act, UETA).</label>
  <label>Full name <input type="text" name="name" required maxlength="200" autocomplete="name"></label>
  <label>Title <input type="text" name="title" required maxlength="200" autocomplete="organization-title"></label>
  <button type="submit">Sign the attestation</button>
</form>`,
  );
}

import { PassThrough } from 'node:stream';
import { sha256Hex } from '../../activities/storage/document-store';
import { getContractStatus, startContract } from '../../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, resendAttestationRequest, startPartnerReview } from '../../client/partners';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import {
  attestationClaimsToWire,
  createAttestationToken,
  verifyAttestationToken,
  type TAttestationClaims,
} from '../../security/attestation-token';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const logs = new PassThrough();
let logText = '';
logs.on('data', (chunk) => (logText += chunk));
const pipeline = useRealPipeline(temporal, { server: { logStream: logs } });
const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };

const post = (url: string, form: Record<string, string>) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'user-agent': 'test-browser/1.0' } });
const linkIn = (mail: TCaughtMail): string => {
  const match = /(http:\/\/127\.0\.0\.1:\d+\/attest\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`No attestation link in "${mail.parsed.subject}"`);
  return match[1]!;
};
const claimsOf = (link: string): TAttestationClaims => {
  const checked = verifyAttestationToken(link.split('/attest/')[1]!, pipeline.signingSecret, Date.now());
  if (!checked.ok) throw new Error(`not a valid token: ${checked.reason}`);
  return checked.claims;
};

/** A certified partner whose attestation request email has gone out; its contract (if asked for) waits for it. */
async function certifiedPartnerWithLink(organizationName = 'Hội Người Việt Tutoring') {
  const partnerId = uniqueId('partner');
  const email = `lan@${partnerId}.example`;
  await applyPartner(pipeline.context, partnerApplication(partnerId, { organizationName }));
  await startPartnerReview(pipeline.context, partnerId, { reviewer });
  await certifyPartner(pipeline.context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
  const mail = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Safety protocol attestation/.test(m.parsed.subject ?? ''),
  );
  return { partnerId, email, mail, link: linkIn(mail) };
}

test('the request links to /attest/<token> and replies to attest+<token>; signing on the page moves the waiting contract', async () => {
  const { partnerId, email, mail, link } = await certifiedPartnerWithLink('Tutors <script>alert(1)</script> & Co');
  const token = link.split('/attest/')[1]!;
  expect(mail.parsed.replyTo?.value[0]?.address).toBe(`attest+${token}@localhost`);
  expect(mail.parsed.text).toContain('write "I agree to sign" and your full name and title');
  const contractId = uniqueId('contract');
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_prerequisites');

  const page = await fetch(link, { headers: { 'user-agent': 'test-browser/1.0' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  await eventually(async () =>
    (await getPartnerStatus(pipeline.context, partnerId)).history.some((entry) => entry.event === 'attestation_viewed'),
  );
  const html = await page.text();
  expect(html).toContain('Tutors &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
  expect(html).not.toContain('<script>');
  for (const statement of pipeline.context.policy.attestation.statements)
    expect(html).toContain(statement.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
  const pdf = await fetch(`${link}/document.pdf`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const status = await getPartnerStatus(pipeline.context, partnerId);
  expect(sha256Hex(new Uint8Array(await pdf.arrayBuffer()))).toBe(status.attestationRequests[0]!.document.sha256);

  const noTitle = await post(link, { consent: 'yes', name: 'Lan Nguyễn' });
  expect(noTitle.status).toBe(400);
  expect(await noTitle.text()).toContain('title:');
  const noConsent = await post(link, { name: 'Lan Nguyễn', title: 'Director' });
  expect(noConsent.status).toBe(400);
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toEqual([]);

  const signed = await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Executive Director' });
  expect(signed.status).toBe(200);
  expect(await signed.text()).toContain('Thank you, Lan Nguyễn');
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
  const after = await getPartnerStatus(pipeline.context, partnerId);
  expect(after.attestations).toHaveLength(1);
  expect(after.attestations[0]).toMatchObject({
    signedBy: { name: 'Lan Nguyễn', title: 'Executive Director', email },
    ipAddress: '127.0.0.1',
    userAgent: 'test-browser/1.0',
    schoolYear: claimsOf(link).schoolYear,
  });

  const reused = await fetch(link);
  expect(reused.status).toBe(409);
  expect(await reused.text()).toContain('already signed');
  expect((await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' })).status).toBe(409);
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toHaveLength(1);
  expect(logText).toContain('/attest/[token]');
  expect(logText).not.toContain(token.slice(0, 40));
});

test("forged, tampered, malformed, expired, other partner's and other school year's tokens get a 4xx page and change nothing", async () => {
  const { partnerId, link } = await certifiedPartnerWithLink();
  const other = await certifiedPartnerWithLink();
  const token = link.split('/attest/')[1]!;
  const [payload, mac] = token.split('.') as [string, string];
  const claims = claimsOf(link);
  const secret = pipeline.signingSecret;
  const [first, second] = claims.schoolYear.split('-').map(Number) as [number, number];
  const before = await getPartnerStatus(pipeline.context, partnerId);

  const cases: [string, string, number, RegExp][] = [
    ['forged signature', `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, 403, /not issued by the district/],
    [
      'tampered partner',
      `${Buffer.from(JSON.stringify(attestationClaimsToWire({ ...claims, partnerId: other.partnerId }))).toString('base64url')}.${mac}`,
      403,
      /not issued by the district/,
    ],
    ['malformed', 'not-a-token', 400, /incomplete or damaged/],
    [
      'expired',
      createAttestationToken({ ...claims, expiresAt: Math.floor(Date.now() / 1000) - 60 }, secret),
      410,
      /deadline of this attestation request has passed/,
    ],
    [
      "other partner's form",
      createAttestationToken({ ...claimsOf(other.link), partnerId }, secret),
      404,
      /does not point at an attestation form/,
    ],
    [
      'other school year',
      createAttestationToken({ ...claims, schoolYear: `${first - 1}-${second - 1}` }, secret),
      404,
      /does not point at an attestation form/,
    ],
    ['signed with another secret', createAttestationToken(claims, 'x'.repeat(40)), 403, /not issued by the district/],
  ];
  for (const [name, badToken, code, message] of cases) {
    for (const response of [
      await fetch(`${pipeline.baseUrl}/attest/${badToken}`),
      await post(`${pipeline.baseUrl}/attest/${badToken}`, { consent: 'yes', name: 'Mallory', title: 'Boss' }),
    ]) {
      expect([name, response.status]).toEqual([name, code]);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const body = await response.text();
      expect(body).toMatch(message);
      expect(body).not.toContain(other.partnerId);
    }
  }
  for (const id of [partnerId, other.partnerId]) {
    const after = await getPartnerStatus(pipeline.context, id);
    expect(after.attestations).toEqual([]);
  }
  expect((await getPartnerStatus(pipeline.context, partnerId)).history).toEqual(before.history);
});

test('oversized and malformed bodies are refused with a 4xx page and no stack trace', async () => {
  const { partnerId, link } = await certifiedPartnerWithLink();
  expect((await post(link, { consent: 'yes', name: 'x'.repeat(40_000), title: 'Director' })).status).toBe(413);
  const badJson = await fetch(link, { method: 'POST', body: '{"consent":', headers: { 'content-type': 'application/json' } });
  expect(badJson.status).toBe(400);
  expect(await badJson.text()).not.toMatch(/\n\s+at /);
  expect((await fetch(link, { method: 'POST', body: 'consent=yes', headers: { 'content-type': 'text/csv' } })).status).toBe(415);
  const tooLong = await post(link, { consent: 'yes', name: 'n'.repeat(300), title: 'Director' });
  expect(tooLong.status).toBe(400);
  expect(await tooLong.text()).toContain('name:');
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toEqual([]);
});

test('a resend supersedes the old link (410, nothing changes); the new link signs', async () => {
  const { partnerId, email, link } = await certifiedPartnerWithLink();
  expect(await resendAttestationRequest(pipeline.context, partnerId, { by: { name: 'CPO Staff' } })).toBe(2);
  const resent = await pipeline.catcher.waitFor((m) => m.envelopeTo.includes(email) && /\(request #2\)/.test(m.parsed.subject ?? ''));
  const newLink = linkIn(resent);
  expect(claimsOf(newLink).requestNumber).toBe(2);
  const old = await fetch(link);
  expect(old.status).toBe(410);
  expect(await old.text()).toContain('A newer attestation request replaced this one');
  expect((await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' })).status).toBe(410);
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestations).toEqual([]);
  expect((await post(newLink, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' })).status).toBe(200);
  const status = await getPartnerStatus(pipeline.context, partnerId);
  expect(status.attestations[0]?.document.sha256).toBe(status.attestationRequests[1]?.document.sha256);
});

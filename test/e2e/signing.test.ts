import { PassThrough } from 'node:stream';
import { sha256Hex } from '../../activities/storage/document-store';
import { getContractStatus, resendSignatureRequest } from '../../client/contracts';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { createSigningToken, signingClaimsToWire, verifySigningToken, type TSigningClaims } from '../../security/signing-token';
import { createServer } from '../../server/create-server';
import { contractAwaitingPartner, signatureRequestTo, useRealPipeline } from '../helpers/real-pipeline';
import { eventually, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const logs = new PassThrough();
let logText = '';
logs.on('data', (chunk) => (logText += chunk));
const pipeline = useRealPipeline(temporal, { server: { logStream: logs } });

const linkIn = (mail: TCaughtMail): string => {
  const match = /(http:\/\/127\.0\.0\.1:\d+\/sign\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`No signing link in "${mail.parsed.subject}"`);
  return match[1]!;
};
const post = (url: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'user-agent': 'test-browser/1.0', ...headers } });
const stage = async (contractId: string) => (await getContractStatus(pipeline.context, contractId)).stage;

/** A contract waiting for its partner's signature, and the link from the request email. */
async function awaitingPartnerWithLink() {
  const { request, ...contract } = await contractAwaitingPartner(pipeline);
  return { ...contract, link: linkIn(request) };
}

test('partner and district sign through their links; the page, the PDF and the record agree', async () => {
  const { contractId, link } = await awaitingPartnerWithLink();
  const page = await fetch(link, { headers: { 'user-agent': 'test-browser/1.0' } });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(`Tutoring ${contractId}`);
  expect(html).toContain('I agree to sign this contract electronically');
  const pdf = await fetch(`${link}/document.pdf`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(sha256Hex(new Uint8Array(await pdf.arrayBuffer()))).toBe(status.documents.contract?.sha256);

  const noConsent = await post(link, { name: 'Lan Nguyễn', title: 'Director' });
  expect(noConsent.status).toBe(400);
  expect(await noConsent.text()).toContain('consent: tick the box');
  expect(await stage(contractId)).toBe('awaiting_partner_signature');

  const signed = await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' });
  expect(signed.status).toBe(200);
  expect(await signed.text()).toContain('Thank you, Lan Nguyễn');
  const reused = await fetch(link);
  expect(reused.status).toBe(409);
  expect(await reused.text()).toContain('Already signed');

  const districtLink = linkIn(await pipeline.catcher.waitFor(signatureRequestTo('cpo@mpls.k12.mn.us', 2)));
  expect((await post(districtLink, { consent: 'yes', name: 'Community Partnerships Office' })).status).toBe(200);
  await eventually(async () => (await stage(contractId)) === 'live');

  const final = await getContractStatus(pipeline.context, contractId);
  expect(final.signatures.map((s) => [s.role, s.method, s.ipAddress, s.userAgent, s.requestNumber])).toEqual([
    ['partner', 'link', '127.0.0.1', 'test-browser/1.0', 1],
    ['district', 'link', '127.0.0.1', 'test-browser/1.0', 2],
  ]);
  expect(final.signingEvents.map((e) => `${e.role}:${e.type}`)).toEqual([
    'partner:sent',
    'partner:viewed',
    'partner:signed',
    'district:sent',
    'district:signed',
  ]);
  expect(final.signingEvents.find((e) => e.type === 'viewed')).toMatchObject({ ipAddress: '127.0.0.1', userAgent: 'test-browser/1.0' });
  expect(logText).toContain('/sign/[token]');
  expect(logText).not.toContain(link.split('/sign/')[1]!.slice(0, 40));
});

test("forged, tampered, malformed, expired and other contracts' tokens are refused and change nothing", async () => {
  const { contractId, link, partnerEmail } = await awaitingPartnerWithLink();
  const other = await awaitingPartnerWithLink();
  const token = link.split('/sign/')[1]!;
  const [payload, mac] = token.split('.') as [string, string];
  const checked = verifySigningToken(token, pipeline.signingSecret, Date.now());
  if (!checked.ok) throw new Error(`the link's token does not verify: ${checked.reason}`);
  const { claims } = checked;
  const reencode = (changed: TSigningClaims) => `${Buffer.from(JSON.stringify(signingClaimsToWire(changed))).toString('base64url')}.${mac}`;
  const secret = pipeline.signingSecret;
  const before = await getContractStatus(pipeline.context, contractId);

  const cases: [string, string, number, RegExp][] = [
    ['forged signature', `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, 403, /not issued by the district/],
    ['tampered request number', reencode({ ...claims, requestNumber: 2 }), 403, /not issued by the district/],
    ['pointed at another contract', reencode({ ...claims, contractId: other.contractId }), 403, /not issued by the district/],
    ['malformed', 'not-a-token', 400, /incomplete or damaged/],
    [
      'expired',
      createSigningToken({ ...claims, expiresAt: Math.floor(Date.now() / 1000) - 60 }, secret),
      410,
      /deadline of this signature request has passed/,
    ],
    ['signed with another secret', createSigningToken(claims, 'x'.repeat(40)), 403, /not issued by the district/],
  ];
  for (const [name, badToken, code, message] of cases) {
    for (const response of [
      await fetch(`${pipeline.baseUrl}/sign/${badToken}`),
      await post(`${pipeline.baseUrl}/sign/${badToken}`, { consent: 'yes', name: 'Mallory' }),
    ]) {
      expect([name, response.status]).toEqual([name, code]);
      const body = await response.text();
      expect(body).toMatch(message);
      expect(body).not.toContain(other.contractId);
    }
  }
  const after = await getContractStatus(pipeline.context, contractId);
  expect(after.signatures).toEqual([]);
  expect(after.history).toEqual(before.history);
  expect(after.signingEvents).toEqual(before.signingEvents);
  // A valid link shows its own contract only.
  const own = await (await fetch(other.link)).text();
  expect(own).toContain(`Tutoring ${other.contractId}`);
  expect(own).not.toContain(contractId);
  expect(partnerEmail).not.toBe(other.partnerEmail);
});

test('a resend supersedes the old link; the partner can decline with the new one', async () => {
  const { contractId, link, partnerEmail } = await awaitingPartnerWithLink();
  expect(await resendSignatureRequest(pipeline.context, contractId, { by: { name: 'CPO Staff' } })).toBe(2);
  const newLink = linkIn(await pipeline.catcher.waitFor(signatureRequestTo(partnerEmail, 2)));
  const old = await fetch(link);
  expect(old.status).toBe(410);
  expect(await old.text()).toContain('A newer signature request replaced this one');
  expect((await post(link, { consent: 'yes', name: 'Lan Nguyễn' })).status).toBe(410);

  const declined = await post(`${newLink}/decline`, { reason: 'Our funding for this program ended.' });
  expect(declined.status).toBe(200);
  await eventually(async () => (await stage(contractId)) === 'declined');
  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.closedReason).toBe('Our funding for this program ended.');
  expect(status.signingEvents.map((e) => `${e.type}#${e.requestNumber}`)).toEqual(['sent#1', 'resent#2', 'declined#2']);
  const notice = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(partnerEmail) && /Contract declined/.test(m.parsed.subject ?? ''),
  );
  expect(notice.envelopeTo).toContain('cpo@mpls.k12.mn.us');
});

test('oversized and malformed bodies are refused with a 4xx page and no stack trace', async () => {
  const { contractId, link } = await awaitingPartnerWithLink();
  const huge = await post(link, { consent: 'yes', name: 'x'.repeat(40_000) });
  expect(huge.status).toBe(413);
  const badJson = await fetch(link, { method: 'POST', body: '{"consent":', headers: { 'content-type': 'application/json' } });
  expect(badJson.status).toBe(400);
  const text = await badJson.text();
  expect(text).not.toMatch(/\n\s+at /);
  const wrongType = await fetch(link, { method: 'POST', body: 'consent=yes', headers: { 'content-type': 'text/csv' } });
  expect(wrongType.status).toBe(415);
  expect(await stage(contractId)).toBe('awaiting_partner_signature');
});

test('the signing pages are rate-limited per address', async () => {
  const limited = await createServer({
    context: pipeline.context,
    documents: pipeline.documents,
    signingSecret: 'y'.repeat(40),
    signingRateLimit: 5,
  });
  const url = await limited.listen({ host: '127.0.0.1', port: 0 });
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await fetch(`${url}/sign/not-a-token`)).status);
  await limited.close();
  expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
});

test("an over-long or broken address is refused like any damaged link, without the router's internals", async () => {
  const longToken = await fetch(`${pipeline.baseUrl}/sign/${'x'.repeat(2_000)}.${'y'.repeat(43)}`);
  expect(longToken.status).toBe(400);
  expect(longToken.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await longToken.text()).toContain('This signing link is incomplete or damaged');
  const brokenEscape = await fetch(`${pipeline.baseUrl}/favicon.ico/%E0%A4%A`);
  expect(brokenEscape.status).toBe(400);
  const page = await brokenEscape.text();
  expect(page).toContain('broken %-escape');
  expect(page).not.toContain('FST_ERR');
});

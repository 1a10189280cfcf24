// Bad tokens, bad bodies, HTML, rate limits and logs on the partner's front door (/apply, /partner), over real HTTP
// with a real Temporal server and a real SMTP server: a clear 4xx page and nothing changes.
import { PassThrough } from 'node:stream';
import nodemailer from 'nodemailer';
import { startContract } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import { freePort } from '../../scripts/free-port';
import { createApplyConfirmToken } from '../../security/apply-confirm-token';
import { createPartnerStatusToken, PARTNER_STATUS_LINK_DAYS } from '../../security/partner-status-token';
import { createServer } from '../../server/create-server';
import { contractRequest, executeContract, readyPartner } from '../helpers/fixtures';
import { formBody, httpRequest, type THttpResponse } from '../helpers/http-client';
import { applicationForm, linkIn, mailTo } from '../helpers/online-application';
import { useRealPipeline } from '../helpers/real-pipeline';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const logs = new PassThrough();
let logText = '';
logs.on('data', (chunk) => (logText += chunk));
const RATE = 3;
const pipeline = useRealPipeline(temporal, { server: { logStream: logs }, partnerFront: { applicationsPerHour: RATE } });

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const get = (path: string) => httpRequest(pipeline.baseUrl, { path });
const postForm = (path: string, fields: Record<string, unknown>, from?: string) =>
  httpRequest(pipeline.baseUrl, { method: 'POST', path, headers: FORM, body: formBody(fields), ...(from ? { from } : {}) });
const statusToken = (partnerId: string, email: string, nowMs = Date.now()) =>
  createPartnerStatusToken(partnerId, email, pipeline.signingSecret, nowMs);
const DAY = 86_400_000;

function expectTokenPageHeaders(response: THttpResponse): void {
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['cache-control']).toBe('no-store');
}

/** A ready partner (certified, attestation signed) with one executed contract. */
async function partnerWithExecutedContract() {
  const partnerId = uniqueId('sec');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId, { programName: `Reading ${contractId}` }));
  await executeContract(pipeline.context, contractId, `lan@${partnerId}.example`);
  return { partnerId, contractId, email: `lan@${partnerId}.example` };
}

describe('status page tokens', () => {
  let a: Awaited<ReturnType<typeof partnerWithExecutedContract>>;
  let b: Awaited<ReturnType<typeof partnerWithExecutedContract>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([partnerWithExecutedContract(), partnerWithExecutedContract()]);
  }, 120_000);

  test('its own token shows the partner, its contracts with stage and deadline, and downloads its signed PDF', async () => {
    const token = statusToken(a.partnerId, a.email);
    const page = await get(`/partner/${token}`);
    expect(page.status).toBe(200);
    expectTokenPageHeaders(page);
    expect(page.text).toContain(`Reading ${a.contractId}`);
    expect(page.text).toContain('Certified');
    expect(page.text).not.toContain(b.contractId);
    const pdf = await get(`/partner/${token}/contracts/${a.contractId}/executed.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expectTokenPageHeaders(pdf);
  });

  test('another partner’s token never reaches this partner’s PDF', async () => {
    const other = await get(`/partner/${statusToken(b.partnerId, b.email)}/contracts/${a.contractId}/executed.pdf`);
    expect(other.status).toBe(404);
    expect(other.text).toContain('no signed contract with this id');
    expectTokenPageHeaders(other);
  });

  test('forged, expired, malformed, wrong-purpose and other-address tokens get a clear 4xx page', async () => {
    const token = statusToken(a.partnerId, a.email);
    const [payload, mac] = token.split('.') as [string, string];
    const forgedClaims = Buffer.from(JSON.stringify({ p: b.partnerId, e: a.email, x: Math.floor(Date.now() / 1000) + 3600 })).toString(
      'base64url',
    );
    const cases: [string, number, string][] = [
      [`${forgedClaims}.${mac}`, 403, 'not issued by the district'],
      [`${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, 403, 'not issued by the district'],
      [statusToken(a.partnerId, a.email, Date.now() - (PARTNER_STATUS_LINK_DAYS + 1) * DAY), 410, 'has expired'],
      ['not-a-token', 400, 'incomplete or damaged'],
      [createApplyConfirmToken('a'.repeat(64), a.email, pipeline.signingSecret, Date.now()), 403, 'not issued by the district'],
      [statusToken(a.partnerId, 'someone.else@example.org'), 403, 'another representative'],
      [statusToken('no-such-partner', a.email), 404, 'no partner on file'],
      ['x'.repeat(3000), 400, 'incomplete or damaged'],
    ];
    for (const [bad, status, says] of cases) {
      const response = await get(`/partner/${bad}`);
      expect([bad.slice(0, 20), response.status]).toEqual([bad.slice(0, 20), status]);
      expect(response.text).toContain(says);
      expectTokenPageHeaders(response);
    }
  });

  test('tokens never reach the request log', async () => {
    const token = statusToken(a.partnerId, a.email);
    await get(`/partner/${token}`);
    await get(`/partner/${token}/contracts/${a.contractId}/executed.pdf`);
    expect(logText).toContain('/partner/[token]');
    expect(logText).not.toContain(token.split('.')[1]!);
  });
});

describe('applications', () => {
  test('a reused, expired, forged or altered confirmation link: a 4xx page or the same answer, never a second partner', async () => {
    const tag = uniqueId('x').slice(2);
    const email = `reuse@${tag}.example`;
    await postForm('/apply', applicationForm(`Reuse Check ${tag}`, email));
    const link = new URL(linkIn(await pipeline.catcher.waitFor(mailTo(email, 'Confirm the application')), '/apply/confirm/')).pathname;
    const token = link.split('/').at(-1)!;
    expect((await postForm(link, {})).text).toContain('Application confirmed');
    const reused = await postForm(link, {});
    expect(reused.text).toContain('Application confirmed');
    expectTokenPageHeaders(reused);
    await expect(getPartnerStatus(pipeline.context, `reuse-check-${tag}-2`)).rejects.toThrow('No partner');

    const sha = Buffer.from(token.split('.')[0]!, 'base64url')
      .toString('utf8')
      .match(/"h":"([a-f0-9]{64})"/)![1]!;
    const expired = createApplyConfirmToken(sha, email, pipeline.signingSecret, Date.now() - 3 * DAY);
    const otherAddress = createApplyConfirmToken(sha, `thief@${tag}.example`, pipeline.signingSecret, Date.now());
    const wrongPurpose = statusToken(`reuse-check-${tag}`, email);
    for (const [bad, status] of [
      [expired, 410],
      [otherAddress, 403],
      [wrongPurpose, 403],
      [`${token}x`, 400],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const response = await httpRequest(pipeline.baseUrl, {
          method,
          path: `/apply/confirm/${bad}`,
          ...(method === 'POST' ? { headers: FORM, body: '' } : {}),
        });
        expect([method, response.status]).toEqual([method, status]);
        expectTokenPageHeaders(response);
      }
    }
    expect(logText).not.toContain(token.split('.')[1]!);
  });

  test('HTML in every field is escaped: on the form shown again, the confirmation page, the status page and the emails', async () => {
    const tag = uniqueId('x').slice(2);
    const html = '<b onmouseover=alert(1)>x</b>';
    const email = `html@${tag}.example`;
    const fields = {
      organizationName: `Org ${html} ${tag}`,
      'representative.name': `Rep ${html}`,
      'representative.title': `Title ${html}`,
      interests: `Schools ${html}`,
      programDescription: `Description long enough ${html}`,
    };
    // Shown again with a problem (no criteria affirmed): every value escaped.
    const refused = await postForm('/apply', {
      ...applicationForm('', email, fields),
      criteriaAffirmed: [],
      'representative.email': `${html}@x`,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('<b onmouseover');
    expect(refused.text.split('&lt;b onmouseover=alert(1)&gt;').length - 1).toBeGreaterThanOrEqual(6);

    await postForm('/apply', applicationForm(fields.organizationName, email, fields));
    const confirmation = await pipeline.catcher.waitFor(mailTo(email, 'Confirm the application'));
    expect(confirmation.parsed.html).not.toContain('<b onmouseover');
    const link = new URL(linkIn(confirmation, '/apply/confirm/')).pathname;
    const shown = await get(link);
    expect(shown.text).not.toContain('<b onmouseover');
    expect(shown.text).toContain('&lt;b onmouseover');
    await postForm(link, {});
    const received = await pipeline.catcher.waitFor(mailTo(email, 'Application received'));
    expect(received.parsed.html).not.toContain('<b onmouseover');
    const status = await get(new URL(linkIn(received, '/partner/')).pathname);
    expect(status.status).toBe(200);
    expect(status.text).not.toContain('<b onmouseover');
    expect(status.text).toContain('&lt;b onmouseover');
  });

  test('bad bodies: errors beside the fields, unprintable characters named, oversized and malformed bodies refused, nothing sent', async () => {
    const tag = uniqueId('x').slice(2);
    const email = `bad@${tag}.example`;
    const before = pipeline.catcher.messages.length;
    const missing = await postForm('/apply', { organizationName: `Only a name ${tag}` });
    expect(missing.status).toBe(400);
    expect(missing.text).toMatch(/id="representative-email-error">must be an email address/);
    expect(missing.text).toMatch(/id="criteriaAffirmed-error">must affirm every criterion/);
    expect(missing.text).toMatch(/id="representative-phone-error">is required/);
    expect(missing.text).toContain(`value="Only a name ${tag}"`);
    const badPhone = await postForm('/apply', applicationForm(`Phone ${tag}`, email, { 'representative.phone': 'call me' }));
    expect(badPhone.text).toMatch(/id="representative-phone-error">must be a phone number/);
    const unprintable = await postForm('/apply', applicationForm(`Bell \u0007 ${tag}`, email));
    expect(unprintable.status).toBe(400);
    expect(unprintable.text).toMatch(/id="organizationName-error">[^<]*U\+0007/);
    const oversized = await postForm('/apply', applicationForm(`Big ${tag}`, email, { programDescription: 'x'.repeat(80 * 1024) }));
    expect(oversized.status).toBe(413);
    const tooLong = await postForm('/apply', applicationForm(`Long ${tag}`, email, { programDescription: 'x'.repeat(2001) }));
    expect(tooLong.text).toMatch(/id="programDescription-error">must be at most 2000 characters/);
    const json = await httpRequest(pipeline.baseUrl, {
      method: 'POST',
      path: '/apply',
      headers: { 'content-type': 'application/json' },
      body: '{"organizationName":',
    });
    expect(json.status).toBe(400);
    const xml = await httpRequest(pipeline.baseUrl, {
      method: 'POST',
      path: '/apply',
      headers: { 'content-type': 'application/xml' },
      body: '<a/>',
    });
    expect(xml.status).toBe(415);
    const linkRequest = await postForm('/partner', { organizationName: '', email: 'not an address' });
    expect(linkRequest.status).toBe(400);
    expect(linkRequest.text).toContain('email: must be an email address');
    // The honeypot filled: the usual answer, and no email.
    const robot = await postForm('/apply', applicationForm(`Robot ${tag}`, email, { website: 'http://spam.example' }));
    expect(robot.status).toBe(200);
    expect(robot.text).toContain('Check your email');
    await postForm('/apply', applicationForm(`Marker ${tag}`, `marker@${tag}.example`));
    await pipeline.catcher.waitFor(mailTo(`marker@${tag}.example`, 'Confirm the application'));
    expect(pipeline.catcher.messages.slice(before).filter((m) => m.envelopeTo.includes(email))).toEqual([]);
  });

  test(`applications and link requests are limited to ${RATE} an hour per address`, async () => {
    const tag = uniqueId('x').slice(2);
    const from = '127.0.0.77';
    for (let i = 0; i < RATE; i += 1)
      expect((await postForm('/apply', applicationForm(`Rate ${i} ${tag}`, `rate${i}@${tag}.example`), from)).status).toBe(200);
    const limited = await postForm('/apply', applicationForm(`Rate x ${tag}`, `ratex@${tag}.example`), from);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many requests');
    expect((await postForm('/apply', applicationForm(`Rate y ${tag}`, `ratey@${tag}.example`), '127.0.0.78')).status).toBe(200);
    const linkFrom = '127.0.0.79';
    for (let i = 0; i < RATE; i += 1)
      expect((await postForm('/partner', { organizationName: `Rate ${tag}`, email: `a@${tag}.example` }, linkFrom)).status).toBe(200);
    expect((await postForm('/partner', { organizationName: `Rate ${tag}`, email: `a@${tag}.example` }, linkFrom)).status).toBe(429);
  });
});

test('a mail server that does not answer is "try again" (503 with Retry-After), not a refusal', async () => {
  const closedPort = await freePort();
  const server = await createServer({
    context: pipeline.context,
    documents: pipeline.documents,
    signingSecret: pipeline.signingSecret,
    partnerFront: {
      mail: {
        mailer: nodemailer.createTransport({ host: '127.0.0.1', port: closedPort }),
        from: 'cpo@mpls.k12.mn.us',
        publicUrl: 'http://127.0.0.1',
      },
    },
  });
  const baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  try {
    const tag = uniqueId('x').slice(2);
    const response = await httpRequest(baseUrl, {
      method: 'POST',
      path: '/apply',
      headers: FORM,
      body: formBody(applicationForm(`Outage ${tag}`, `o@${tag}.example`)),
    });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('60');
    expect(response.text).toContain('try again');
  } finally {
    await server.close();
  }
});

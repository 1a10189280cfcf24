import { PassThrough } from 'node:stream';
import { getContractStatus } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { createAgencyRecordToken, verifyAgencyRecordToken, type TAgencyRecordClaims } from '../../security/agency-record-token';
import { partnerApplication } from '../helpers/fixtures';
import { contractAwaitingDataSharing, useRealPipeline } from '../helpers/real-pipeline';
import { partnerWorkflowId } from '../../domain/vocabulary';
import { eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const logs = new PassThrough();
let logText = '';
logs.on('data', (chunk) => (logText += chunk));
const pipeline = useRealPipeline(temporal, { server: { logStream: logs } });

const post = (url: string, form: Record<string, string>) => fetch(url, { method: 'POST', body: new URLSearchParams(form) });
const linkIn = (mail: TCaughtMail): string => {
  const match = /(http:\/\/127\.0\.0\.1:\d+\/affirm\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`No affirmation link in "${mail.parsed.subject}"`);
  return match[1]!;
};
const claimsOf = (link: string): TAgencyRecordClaims => {
  const checked = verifyAgencyRecordToken(link.split('/affirm/')[1]!, pipeline.signingSecret, Date.now());
  if (!checked.ok) throw new Error(`not a valid token: ${checked.reason}`);
  return checked.claims;
};

async function partnerAskedForDataSharing() {
  const asked = await contractAwaitingDataSharing(pipeline);
  return { ...asked, link: linkIn(asked.mail) };
}

test('the request email links to /affirm/<token>; affirming the policy statement on the page moves the waiting contract', async () => {
  const { partnerId, contractId, email, mail, link } = await partnerAskedForDataSharing();
  const statement = pipeline.context.policy.agencyRecords.statements.data_sharing_agreement!;
  expect(mail.parsed.text).toContain(statement);
  expect(claimsOf(link)).toMatchObject({ partnerId, kind: 'data_sharing_agreement', schoolYear: null, email, requestNumber: 1 });
  expect((await getContractStatus(pipeline.context, contractId)).stage).toBe('awaiting_prerequisites');

  const page = await fetch(link);
  expect(page.status).toBe(200);
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(await page.text()).toContain(statement.replace(/'/g, '&#39;'));
  const noConsent = await post(link, { name: 'Lan Nguyễn', title: 'Director' });
  expect(noConsent.status).toBe(400);
  expect(await noConsent.text()).toContain('consent');
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([]);

  const affirmed = await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Executive Director' });
  expect(affirmed.status).toBe(200);
  expect(await affirmed.text()).toContain('Thank you, Lan Nguyễn');
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toEqual([
    expect.objectContaining({
      kind: 'data_sharing_agreement',
      schoolYear: null,
      by: 'Lan Nguyễn',
      title: 'Executive Director',
      method: 'web',
      statement,
    }),
  ]);

  const again = await fetch(link);
  expect(again.status).toBe(409);
  expect((await post(link, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' })).status).toBe(409);
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toHaveLength(1);
  const token = link.split('/affirm/')[1]!;
  expect(logText).toContain('/affirm/[token]');
  expect(logText).not.toContain(token.slice(0, 40));
});

test("forged, malformed, expired, other partner's and other kind's tokens get a 4xx page and change nothing", async () => {
  const { partnerId, link } = await partnerAskedForDataSharing();
  const token = link.split('/affirm/')[1]!;
  const [payload, mac] = token.split('.') as [string, string];
  const claims = claimsOf(link);
  const secret = pipeline.signingSecret;
  const before = await getPartnerStatus(pipeline.context, partnerId);
  const cases: [string, string, number, RegExp][] = [
    ['forged signature', `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, 403, /not issued by the district/],
    ['signed with another secret', createAgencyRecordToken(claims, 'x'.repeat(40)), 403, /not issued by the district/],
    ['malformed', 'not-a-token', 400, /incomplete or damaged/],
    [
      'expired',
      createAgencyRecordToken({ ...claims, expiresAt: Math.floor(Date.now() / 1000) - 60 }, secret),
      410,
      /deadline of this request has passed/,
    ],
    ['other partner', createAgencyRecordToken({ ...claims, partnerId: uniqueId('partner') }, secret), 404, /does not point at a record/],
    ['other kind', createAgencyRecordToken({ ...claims, kind: 'photo_video_consent_practice' }, secret), 404, /does not point at a record/],
  ];
  for (const [name, badToken, code, message] of cases) {
    for (const response of [
      await fetch(`${pipeline.baseUrl}/affirm/${badToken}`),
      await post(`${pipeline.baseUrl}/affirm/${badToken}`, { consent: 'yes', name: 'Mallory', title: 'Boss' }),
    ]) {
      expect([name, response.status]).toEqual([name, code]);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(await response.text()).toMatch(message);
    }
  }
  const after = await getPartnerStatus(pipeline.context, partnerId);
  expect(after.records).toEqual([]);
  expect(after.history).toEqual(before.history);
});

test('when nothing answers for the partner (its worker is down), the page and the form say try again (503)', async () => {
  const partnerId = uniqueId('no-worker');
  // A partner whose task queue has no worker: queries get no answer, as with the worker down.
  const handle = await temporal.env.client.workflow.start('partnerWorkflow', {
    workflowId: partnerWorkflowId(partnerId),
    taskQueue: uniqueTaskQueue('no-worker'),
    args: [{ application: partnerApplication(partnerId), policy: pipeline.context.policy }],
  });
  const token = createAgencyRecordToken(
    {
      partnerId,
      kind: 'data_sharing_agreement',
      schoolYear: null,
      email: partnerApplication(partnerId).representative.email,
      requestNumber: 1,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    },
    pipeline.signingSecret,
  );
  for (const response of [
    await fetch(`${pipeline.baseUrl}/affirm/${token}`),
    await post(`${pipeline.baseUrl}/affirm/${token}`, { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' }),
  ]) {
    expect([response.status, response.headers.get('retry-after'), response.headers.get('referrer-policy')]).toEqual([
      503,
      '60',
      'no-referrer',
    ]);
    expect(await response.text()).toContain('Try again in a minute');
  }
  await handle.terminate('test over');
}, 60_000);

import { getContractStatus } from '../../client/contracts';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { httpRequest, type THttpRequest } from '../helpers/http-client';
import { contractAwaitingPartner, useRealPipeline } from '../helpers/real-pipeline';
import { startReverseProxy, type TReverseProxy } from '../helpers/reverse-proxy';
import { basicAuth, testStaffAuth } from '../helpers/staff';
import { eventually, useTemporalTestEnvironment } from '../helpers/temporal';

// Production as deployed: the district's proxy on 127.0.0.1 in front of the server, trusted (CPO_TRUSTED_PROXIES),
// staff and partners at https://partners.district.example (CPO_PUBLIC_URL). Each client connects from its own
// loopback address; the server sees every proxied connection come from 127.0.0.1.
const PUBLIC_ORIGIN = 'https://partners.district.example';
const CLIENT_A = '127.0.0.2';
const CLIENT_B = '127.0.0.3';
const SIGNER = '127.0.0.4';
const OUTSIDER = '127.0.0.5';
const STAFF_BROWSER = '127.0.0.6';
const SIGNING_LIMIT = 3;

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, {
  server: { staff: { ...testStaffAuth(), publicOrigin: PUBLIC_ORIGIN }, trustedProxies: ['127.0.0.1'], signingRateLimit: SIGNING_LIMIT },
});
let proxy: TReverseProxy;
beforeAll(async () => {
  proxy = await startReverseProxy(pipeline.baseUrl);
});
afterAll(() => proxy?.close());

/** A request through the proxy, addressed as a browser at the public URL addresses it. */
const viaProxy = (from: string, request: THttpRequest) =>
  httpRequest(proxy.url, { ...request, from, headers: { host: new URL(PUBLIC_ORIGIN).host, ...request.headers } });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const signingPath = (mail: TCaughtMail): string => {
  const link = /(http:\/\/127\.0\.0\.1:\d+\/sign\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')?.[1];
  if (!link) throw new Error(`No signing link in "${mail.parsed.subject}"`);
  return new URL(link).pathname;
};
const statuses = async (count: number, send: () => Promise<{ status: number }>): Promise<number[]> => {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await send()).status);
  return seen;
};

test('behind the proxy, the sign-in and signing-page limits count each client apart: one client is stopped, the next is not', async () => {
  const wrongSignIn = (from: string) =>
    viaProxy(from, { method: 'POST', path: '/dashboard/login', headers: FORM, body: 'username=cpo-director&password=wrong' });
  expect(await statuses(11, () => wrongSignIn(CLIENT_A))).toEqual([...Array<number>(10).fill(401), 429]);
  expect((await wrongSignIn(CLIENT_B)).status).toBe(401);

  const damagedLink = (from: string) => viaProxy(from, { path: '/sign/not-a-token' });
  expect(await statuses(SIGNING_LIMIT + 1, () => damagedLink(CLIENT_A))).toEqual([...Array<number>(SIGNING_LIMIT).fill(400), 429]);
  expect((await damagedLink(CLIENT_B)).status).toBe(400);
});

test("a signature through the proxy keeps the signer's own address as evidence, not the proxy's nor one the signer forged", async () => {
  const { contractId, request } = await contractAwaitingPartner(pipeline);
  const path = signingPath(request);
  const forged = { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'test-browser/1.0' };
  expect((await viaProxy(SIGNER, { path, headers: forged })).status).toBe(200);
  const signed = await viaProxy(SIGNER, { method: 'POST', path, headers: { ...forged, ...FORM }, body: 'consent=yes&name=Lan+Nguyen' });
  expect(signed.status).toBe(200);

  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.signatures.map((s) => [s.role, s.ipAddress])).toEqual([['partner', SIGNER]]);
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).signingEvents.some((e) => e.type === 'viewed'));
  const viewed = (await getContractStatus(pipeline.context, contractId)).signingEvents.filter((e) => e.type === 'viewed');
  expect(viewed.map((e) => e.ipAddress)).toEqual([SIGNER]);
});

test('a dashboard POST through the Host-rewriting proxy is done from the public origin and refused (403) from another site', async () => {
  const { contractId } = await contractAwaitingPartner(pipeline);
  const voidFrom = (origin: string) =>
    viaProxy(STAFF_BROWSER, {
      method: 'POST',
      path: `/api/contracts/${contractId}/void`,
      headers: { authorization: basicAuth('director'), origin, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'The school cancelled the program' }),
    });

  const foreign = await voidFrom('https://attacker.example');
  expect([foreign.status, foreign.json]).toEqual([403, { error: 'Cross-site request refused' }]);
  expect((await getContractStatus(pipeline.context, contractId)).stage).toBe('awaiting_partner_signature');

  const same = await voidFrom(PUBLIC_ORIGIN);
  expect(same.status).toBe(200);
  expect(same.json).toMatchObject({ contractId, stage: 'voided' });
});

test('a client reaching the server directly, not through a trusted proxy, cannot choose its address with X-Forwarded-For', async () => {
  const { contractId, request } = await contractAwaitingPartner(pipeline);
  const direct = (forgedFor: string, path: string) =>
    httpRequest(pipeline.baseUrl, { path, from: OUTSIDER, headers: { 'x-forwarded-for': forgedFor } });

  expect((await direct('198.51.100.7', signingPath(request))).status).toBe(200);
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).signingEvents.some((e) => e.type === 'viewed'));
  const viewed = (await getContractStatus(pipeline.context, contractId)).signingEvents.filter((e) => e.type === 'viewed');
  expect(viewed.map((e) => e.ipAddress)).toEqual([OUTSIDER]);

  // A new forged address on every request does not escape the limit either (the view above counted once).
  const forgedEachTime = await statuses(SIGNING_LIMIT, () => direct(`198.51.100.${Math.floor(Math.random() * 250)}`, '/sign/not-a-token'));
  expect(forgedEachTime).toEqual([...Array<number>(SIGNING_LIMIT - 1).fill(400), 429]);
});

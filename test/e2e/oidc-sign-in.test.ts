// Staff sign in with the district's OpenID provider: a real provider (oidc-provider) on loopback, the real server,
// worker and Temporal, and Chromium. Sign in, land with the mapped role, act, sign out; a token for another
// audience, a bad state, an expired sign-in and an expired session are refused.
import { getContractStatus, startContract } from '../../client/contracts';
import { createPurposeToken } from '../../security/purpose-token';
import { issueStaffSession } from '../../security/staff-session';
import type { TOidcOptions } from '../../config/staff-auth-options';
import { useChromium } from '../helpers/browser';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { OIDC_CLIENT, startTestOidcProvider, type TTestOidcProvider } from '../helpers/oidc-provider';
import { useRealPipeline } from '../helpers/real-pipeline';
import { testStaffAuth } from '../helpers/staff';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';
import { z } from 'zod';

const temporal = useTemporalTestEnvironment();
const chromium = useChromium();
let provider: TTestOidcProvider;
const staff = testStaffAuth();
const oidc: TOidcOptions = {
  issuer: 'set once the provider listens',
  ...OIDC_CLIENT,
  redirectUrl: 'set once the dashboard listens',
  roleMapping: { claim: 'groups', map: { 'cpo-office': { role: 'cpo' }, 'board-readers': { role: 'viewer' } } },
  label: 'Sign in with the district account',
};
beforeAll(async () => {
  provider = await startTestOidcProvider();
  oidc.issuer = provider.issuer;
  staff.oidc = oidc;
});
afterAll(async () => provider?.close());
const pipeline = useRealPipeline(temporal, { server: { staff } });
beforeAll(() => {
  // The server reads these settings on each sign-in, so the callback can be named once the server has its port.
  oidc.redirectUrl = `${pipeline.baseUrl}/dashboard/oidc/callback`;
  provider.start(oidc.redirectUrl);
});

/** Through the provider's own login and consent pages, back to the dashboard. */
async function signInAt(page: import('playwright-core').Page, account: string) {
  await page.goto(`${pipeline.baseUrl}/dashboard/login`);
  await page.click('a[data-oidc]');
  await page.waitForURL(`${provider.issuer}/**`);
  await page.fill('input[name="login"]', account);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  await page.click('button[type="submit"]'); // consent: "Continue"
}

test('sign in with the provider, land with the mapped role, act as that person, sign out', async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  await signInAt(page, 'olive');
  await page.waitForURL(`${pipeline.baseUrl}/dashboard`);
  expect(await page.locator('header .who').innerText()).toContain('Olive Office');

  await page.goto(`${pipeline.baseUrl}/dashboard/contracts/${contractId}`);
  await page.fill('form[action$="/void"] [name="reason"]', 'program moved to the spring');
  await page.click('form[action$="/void"] button');
  const voided = await eventually(async () => {
    const status = await getContractStatus(pipeline.context, contractId);
    return status.stage === 'voided' && status;
  });
  expect(voided.history.find((entry) => entry.event === 'voided')?.actor).toBe('Olive Office');

  await page.click('header form[action="/dashboard/logout"] button');
  await page.waitForURL(/\/dashboard\/login$/);
  const after = await page.goto(`${pipeline.baseUrl}/dashboard`);
  expect(after?.url()).toMatch(/\/dashboard\/login\?next=/);
  await context.close();

  // A viewer in the directory's groups lands read-only; someone with no mapped group is refused.
  const viewer = await chromium.browser.newContext();
  const viewerPage = await viewer.newPage();
  await signInAt(viewerPage, 'vic');
  await viewerPage.waitForURL(`${pipeline.baseUrl}/dashboard`);
  await viewerPage.goto(`${pipeline.baseUrl}/dashboard/contracts/${contractId}`);
  expect(await viewerPage.locator('[data-role-note]').innerText()).toContain('read-only');
  const refusal = await viewerPage.request.post(`${pipeline.baseUrl}/api/contracts/${contractId}/resend`, { data: {} });
  expect(refusal.status()).toBe(403);
  await viewer.close();

  const nobody = await chromium.browser.newContext();
  const nobodyPage = await nobody.newPage();
  await signInAt(nobodyPage, 'nobody');
  await nobodyPage.waitForURL(/\/dashboard\/oidc\/callback/);
  expect(await nobodyPage.locator('main').innerText()).toContain('nobody@district.example has no role on this dashboard');
  expect((await nobody.cookies()).map((cookie) => cookie.name)).not.toContain('cpo_staff');
  await nobody.close();
});

test('an ID token for another audience is refused', async () => {
  provider.issueForAnotherAudience(true);
  try {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await signInAt(page, 'olive');
    await page.waitForURL(/\/dashboard\/oidc\/callback/);
    const refusal = await page.locator('main').innerText();
    expect(refusal).toContain('The sign-in could not be verified');
    expect(refusal).toMatch(/\baud\b/);
    expect((await context.cookies()).map((cookie) => cookie.name)).not.toContain('cpo_staff');
    await context.close();
  } finally {
    provider.issueForAnotherAudience(false);
  }
});

test('a bad state, a sign-in not started here or too old, and an expired session are refused', async () => {
  const started = await fetch(`${pipeline.baseUrl}/dashboard/login/oidc`, { redirect: 'manual' });
  expect(started.status).toBe(303);
  const location = new URL(started.headers.get('location')!);
  expect(location.origin).toBe(provider.issuer);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  const pending = started.headers.get('set-cookie')!.split(';')[0]!;
  const callback = (query: string, cookie?: string) =>
    fetch(`${pipeline.baseUrl}/dashboard/oidc/callback?${query}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });

  const badState = await callback(`code=abc&state=not-the-state`, pending);
  expect(badState.status).toBe(400);
  expect(await badState.text()).toContain('does not belong to the sign-in started in this browser (state)');
  const noCookie = await callback(`code=abc&state=${location.searchParams.get('state')}`);
  expect(noCookie.status).toBe(400);
  expect(await noCookie.text()).toContain('not started here or took longer than 10 minutes');
  const ZPending = z.object({ v: z.string(), s: z.string(), n: z.string(), next: z.string(), x: z.number() });
  const old = createPurposeToken(
    'oidc-sign-in',
    ZPending,
    { v: 'v'.repeat(43), s: 'state-state-state-1', n: 'nonce-nonce-nonce-1', next: '/dashboard', x: Math.floor(Date.now() / 1000) - 1 },
    staff.sessionSecret,
  );
  const tooOld = await callback('code=abc&state=state-state-state-1', `cpo_oidc=${old}`);
  expect(tooOld.status).toBe(400);

  // An identity-provider session past its 8 hours is not a session: pages send to sign in, the API answers 401.
  const identity = { name: 'Olive Office', email: 'olive@district.example', access: { role: 'cpo' as const } };
  const expired = issueStaffSession(staff.sessionSecret, 'oidc:olive', Date.now() - 9 * 3600_000, 8 * 3600_000, identity);
  const page = await fetch(`${pipeline.baseUrl}/dashboard`, { headers: { cookie: `cpo_staff=${expired}` }, redirect: 'manual' });
  expect(page.status).toBe(303);
  expect((await fetch(`${pipeline.baseUrl}/api/board`, { headers: { cookie: `cpo_staff=${expired}` } })).status).toBe(401);
  const current = issueStaffSession(staff.sessionSecret, 'oidc:olive', Date.now(), 8 * 3600_000, identity);
  expect((await fetch(`${pipeline.baseUrl}/api/board`, { headers: { cookie: `cpo_staff=${current}` } })).status).toBe(200);
});

// The dashboard's JSON API over real HTTP, reading a real Temporal server's visibility store, with a real worker
// and SMTP server behind it. Every test scopes itself by a school or partner name no other test uses.
import { applyPartner, getPartnerStatus } from '../../client/partners';
import { getContractStatus, startContract } from '../../client/contracts';
import type { TPipelineBoard } from '../../client/search/pipeline-board';
import type { TContractListing } from '../../client/search/search-contracts';
import type { TDirectory } from '../../client/search/summarize-directory';
import { sha256Hex } from '../../activities/storage/document-store';
import type { TContractStatus } from '../../domain/schemas/contract';
import { checklistMeeting, type TPartnerStatus } from '../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA } from '../../domain/vocabulary';
import { currentSchoolYear } from '../helpers/clock';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication, readyPartner, signAsPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { basicAuth, testStaffAuth } from '../helpers/staff';
import { eventually, testPolicy, uniqueId, useTemporalTestEnvironment, withSchools } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
// Reminders every 2 s, so a request becomes "overdue" within the test.
const pipeline = useRealPipeline(temporal, {
  server: { staff: testStaffAuth() },
  policy: testPolicy({ remindEvery: '2s', expireAfter: '1h' }),
});

async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; who?: 'director' | 'analyst' | null; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.who !== null) headers.authorization = basicAuth(init.who ?? 'director');
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${pipeline.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    redirect: 'manual',
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json')
    ? await response.json()
    : type.includes('pdf')
      ? Buffer.from(await response.arrayBuffer())
      : await response.text();
  return { status: response.status, body: body as T, headers: response.headers };
}

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const ids = (listings: TContractListing[]) => listings.map((listing) => listing.contractId).sort();

test('staff only: the API asks for credentials and pages send people to sign in', async () => {
  const api401 = await api('/api/board', { who: null });
  expect(api401.status).toBe(401);
  expect(api401.headers.get('www-authenticate')).toMatch(/^Basic/);
  const wrong = await api('/api/board', {
    who: null,
    headers: { authorization: `Basic ${Buffer.from('cpo-director:wrong').toString('base64')}` },
  });
  expect(wrong.status).toBe(401);
  const page = await api('/dashboard/contracts?school=x', { who: null });
  expect(page.status).toBe(303);
  expect(page.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard%2Fcontracts%3Fschool%3Dx');
  const signingPagesStillPublic = await api('/sign/not-a-token', { who: null });
  expect(signingPagesStillPublic.status).toBe(400);
});

test('board, filtered lists, attention lists and the directory read the workflows as they move', async () => {
  const school = `Folwell ${uniqueId('school')}`;
  const word = uniqueId('w').replace('-', '');
  const ready = uniqueId('partner');
  const waiting = uniqueId('partner');
  await readyPartner(pipeline.context, ready, { organizationName: `Hội Người Việt ${word} Tutoring` });
  await applyPartner(pipeline.context, partnerApplication(waiting, { organizationName: `Northside ${word} Arts` }));
  const signing = uniqueId('contract');
  const ending = uniqueId('contract');
  const pending = uniqueId('contract');
  const atSchool = { ...pipeline.context, policy: withSchools(pipeline.context.policy, [school]) };
  await startContract(
    atSchool,
    contractRequest(signing, ready, { schools: [school, 'Anwatin Middle'], services: ['literacy_tutoring', 'arts'] }),
  );
  await startContract(
    atSchool,
    contractRequest(ending, ready, {
      schools: [school],
      category: 'mental_health',
      services: ['health_mental_health'],
      endDate: daysFromNow(10),
    }),
  );
  await startContract(
    atSchool,
    contractRequest(pending, waiting, { schools: [school], services: ['arts'], route: 'afterschool_enrichment' }),
  );

  // Drive `ending` to live: the partner signs, the CPO director countersigns through the API.
  await signAsPartner(pipeline.context, ending, ready);
  const countersigned = await api<{ stage: string }>(`/api/contracts/${ending}/countersign`, { method: 'POST', body: { consent: true } });
  expect(countersigned.status).toBe(200);
  const live = await eventually(async () => {
    const status = await getContractStatus(pipeline.context, ending);
    return status.stage === 'live' && status;
  });
  expect(live.signatures.map((s) => `${s.role}:${s.method}:${s.email}`)).toEqual([
    `partner:cli:lan@${ready}.example`,
    'district:dashboard:cpo@mpls.k12.mn.us',
  ]);

  // Visibility is eventually consistent: wait for the board to show what the workflows did. The request to `signing`
  // becomes overdue 2 s (the test policy's reminder period) after it was sent, which a fast run can beat.
  const board = await eventually(async () => {
    const { body } = await api<TPipelineBoard>(`/api/board?school=${encodeURIComponent(school)}`);
    const moved =
      body.contracts.live === 1 && body.contracts.awaiting_partner_signature === 1 && body.contracts.awaiting_prerequisites === 1;
    return moved && body.attention.overdue_signatures > 0 && body;
  });
  expect(Object.values(board.contracts).reduce((a, b) => a + b, 0)).toBe(3);
  expect(board.attention).toEqual({ overdue_signatures: 1, expiring: 1, blocked: 2 });
  const partnersBoard = await api<TPipelineBoard>(`/api/board?text=${word}`);
  expect(partnersBoard.body.partners).toMatchObject({ certified: 1, applied: 1, in_review: 0 });

  const list = async (query: string) =>
    (await api<{ contracts: TContractListing[] }>(`/api/contracts?school=${encodeURIComponent(school)}&${query}`)).body.contracts;
  expect(ids(await list('service=arts'))).toEqual([signing, pending].sort());
  expect(ids(await list('category=mental_health'))).toEqual([ending]);
  expect(ids(await list('route=afterschool_enrichment'))).toEqual([pending]);
  expect(ids(await list(`text=${encodeURIComponent(`northside ${word}`)}`))).toEqual([pending]);
  expect(ids(await list(`text=${encodeURIComponent(`Northside ${word} Tutoring`)}`))).toEqual([]); // every word must match
  expect(ids(await list('view=overdue_signatures'))).toEqual([signing]);
  expect(ids(await list('view=expiring'))).toEqual([ending]);
  const blocked = await list('view=blocked');
  expect(ids(blocked)).toEqual([signing, pending].sort());
  expect(blocked.find((c) => c.contractId === pending)!.programStartBlockedReason).toMatch(/not yet certified/);
  const row = (await list('stage=live'))[0]!;
  expect(row).toMatchObject({
    contractId: ending,
    organizationName: `Hội Người Việt ${word} Tutoring`,
    category: 'mental_health',
    schoolYear: currentSchoolYear(),
    programStartBlockedReason: null,
  });

  const paged = await api<{ contracts: TContractListing[]; nextPageToken: string }>(
    `/api/contracts?school=${encodeURIComponent(school)}&pageSize=2`,
  );
  expect(paged.body.contracts).toHaveLength(2);
  const rest = await api<{ contracts: TContractListing[]; nextPageToken: string | null }>(
    `/api/contracts?school=${encodeURIComponent(school)}&pageSize=2&pageToken=${paged.body.nextPageToken}`,
  );
  expect(ids([...paged.body.contracts, ...rest.body.contracts])).toEqual([signing, ending, pending].sort());
  expect(rest.body.nextPageToken).toBeNull();

  const directory = (await api<TDirectory>(`/api/directory/schools/${encodeURIComponent(school)}`)).body;
  expect(directory.schools).toEqual([
    {
      school,
      partners: 2,
      programs: 3,
      services: expect.objectContaining({ arts: 2, literacy_tutoring: 1, health_mental_health: 1, enrichment: 0 }),
    },
  ]);
  expect(directory.partners.map((p) => [p.organizationName, p.programs.length])).toEqual([
    [`Hội Người Việt ${word} Tutoring`, 2],
    [`Northside ${word} Arts`, 1],
  ]);
  const csv = await api<string>(`/api/directory.csv?school=${encodeURIComponent(school)}`);
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  expect(lines[0]).toBe('School,Partner,Program,Services,Category,Stage,Contract');
  expect(lines.filter((line) => line.startsWith(`${school},`))).toHaveLength(3);
  const distribution = await api<string>(
    `/api/directory/distribution.csv?service=health_mental_health&school=${encodeURIComponent(school)}`,
  );
  expect(distribution.body.split('\r\n')[1]).toBe(`${school},1,1,0,0,0,0,0,0,1,0`);

  const pdf = await api<Buffer>(`/api/contracts/${ending}/documents/executed`);
  expect(pdf.headers.get('content-type')).toBe('application/pdf');
  expect(sha256Hex(pdf.body)).toBe(live.documents.executed!.sha256);
});

test('bad input is refused with the field named, a 4xx, and nothing changes', async () => {
  const cases: [string, number, string][] = [
    ['/api/contracts?service=juggling', 400, 'service'],
    ['/api/contracts?pageSize=0', 400, 'pageSize'],
    ['/api/contracts?pageSize=ten', 400, 'pageSize'],
    ['/api/contracts?view=stuck', 400, 'view'],
    ['/api/contracts?pageToken=bm90LWEtdG9rZW4', 400, 'pageToken'],
    ['/api/contracts?school=a%5Cb', 400, 'school'],
    ['/api/contracts?schoolYear=2026', 400, 'schoolYear'],
    ['/api/board?category=landlord', 400, 'category'],
    ['/api/directory?service=', 400, 'service'],
    ['/api/contracts/NOT%20AN%20ID', 400, 'contractId'],
    [`/api/contracts/${uniqueId('missing')}`, 404, 'contractId'],
    ['/api/contracts/abc/documents/receipt', 400, 'kind'],
  ];
  for (const [path, status, field] of cases) {
    const response = await api<{ error: string; problems: { field: string }[] }>(path);
    expect({ path, status: response.status, fields: response.body.problems.map((p) => p.field) }).toEqual({
      path,
      status,
      fields: [field],
    });
  }
  // Quotes and operators typed into a search box are words, not query syntax.
  const injection = await api<{ contracts: unknown[] }>(
    `/api/contracts?text=${encodeURIComponent("x' OR WorkflowType = 'partnerWorkflow")}`,
  );
  expect(injection.status).toBe(200);
  expect(injection.body.contracts).toEqual([]);

  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  await eventually(async () => (await getContractStatus(pipeline.context, contractId)).stage === 'awaiting_partner_signature');
  const actions: [string, unknown, 'director' | 'analyst', number, string][] = [
    ['juggle', {}, 'director', 400, 'action'],
    ['void', { reason: 'x' }, 'director', 400, 'reason'],
    ['void', {}, 'director', 400, 'reason'],
    ['countersign', { consent: false }, 'director', 400, 'consent'],
    ['countersign', { consent: true }, 'director', 409, ''],
  ];
  for (const [action, body, who, status, field] of actions) {
    const response = await api<{ error: string; problems: { field: string }[] }>(`/api/contracts/${contractId}/${action}`, {
      method: 'POST',
      body,
      who,
    });
    expect({ action, status: response.status, fields: response.body.problems.map((p) => p.field).join() }).toEqual({
      action,
      status,
      fields: field,
    });
  }
  const crossSite = await api(`/api/contracts/${contractId}/void`, {
    method: 'POST',
    body: { reason: 'from elsewhere' },
    headers: { origin: 'https://evil.example' },
  });
  expect(crossSite.status).toBe(403);
  const malformedJson = await fetch(`${pipeline.baseUrl}/api/contracts/${contractId}/void`, {
    method: 'POST',
    headers: { authorization: basicAuth('director'), 'content-type': 'application/json' },
    body: '{"reason":',
  });
  expect(malformedJson.status).toBe(400);
  expect(await malformedJson.text()).not.toMatch(/at .*\.js:\d+/);

  const status = await getContractStatus(pipeline.context, contractId);
  expect(status.stage).toBe('awaiting_partner_signature');
  expect(status.history.map((entry) => entry.event)).not.toContain('voided');

  // The refused actions left the partner as it was too.
  const partner = await getPartnerStatus(pipeline.context, partnerId);
  expect(partner.stage).toBe('certified');
});

test('the countersignature is refused to staff who are not the district signer', async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await readyPartner(pipeline.context, partnerId);
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  await signAsPartner(pipeline.context, contractId, partnerId);
  const refused = await api<{ error: string }>(`/api/contracts/${contractId}/countersign`, {
    method: 'POST',
    body: { consent: true },
    who: 'analyst',
  });
  expect(refused.status).toBe(409);
  expect(refused.body.error).toMatch(/only cpo@mpls\.k12\.mn\.us may sign/);
  expect((await getContractStatus(pipeline.context, contractId)).signatures).toHaveLength(1);
});

test('page actions: a refusal comes back on the page with its 4xx; a done action redirects with what happened', async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await applyPartner(pipeline.context, partnerApplication(partnerId));
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  const post = (path: string, form: Record<string, string> | [string, string][], headers: Record<string, string> = {}) =>
    fetch(`${pipeline.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: basicAuth('director'), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
  const short = await post(`/dashboard/contracts/${contractId}/actions/void`, { reason: 'x' });
  expect(short.status).toBe(400);
  const page = await short.text();
  expect(page).toContain('reason: must say why (at least 3 characters)');
  expect(page).toContain('<h1>After-school reading circles');
  // The certify form sends the ticked criteria after a hidden empty value.
  const ticked = (criteria: readonly string[]): [string, string][] => [
    ['checklist', ''],
    ...criteria.map((criterion): [string, string] => ['checklist', criterion]),
  ];
  const certifyTooEarly = await post(`/dashboard/partners/${partnerId}/actions/certify`, ticked(CERTIFICATION_CRITERIA));
  expect(certifyTooEarly.status).toBe(409);
  expect(await certifyTooEarly.text()).toMatch(/certify the partner/);
  const crossSite = await post(
    `/dashboard/contracts/${contractId}/actions/void`,
    { reason: 'not from here' },
    { origin: 'https://evil.example' },
  );
  expect(crossSite.status).toBe(403);
  expect((await getContractStatus(pipeline.context, contractId)).stage).toBe('awaiting_prerequisites');

  const review = await post(`/dashboard/contracts/${contractId}/actions/start-review`, {});
  expect([review.status, review.headers.get('location')]).toEqual([303, `/dashboard/contracts/${contractId}?done=start-review`]);
  expect((await getPartnerStatus(pipeline.context, partnerId)).stage).toBe('in_review');
  const unticked = await post(
    `/dashboard/contracts/${contractId}/actions/certify`,
    ticked(CERTIFICATION_CRITERIA.filter((c) => c !== 'ongoing')),
  );
  expect(unticked.status).toBe(400);
  expect(await unticked.text()).toContain('checklist.ongoing: ongoing is not met');
  expect((await getPartnerStatus(pipeline.context, partnerId)).stage).toBe('in_review');
  const voided = await post(`/dashboard/contracts/${contractId}/actions/void`, { reason: 'program cancelled by the school' });
  expect(voided.status).toBe(303);
  const closed = await eventually(async () => {
    const status = await getContractStatus(pipeline.context, contractId);
    return status.stage === 'voided' && status;
  });
  expect(closed.closedReason).toBe('program cancelled by the school');
  expect(closed.history.find((entry) => entry.event === 'voided')?.actor).toBe('Dana Director');
});

test('agency actions through the API: certify with the checklist, record an affirmation, terminate; contract actions refused in the wrong stage', async () => {
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('contract');
  await applyPartner(pipeline.context, partnerApplication(partnerId));
  await startContract(pipeline.context, contractRequest(contractId, partnerId));
  type TRefusal = { error: string; problems: { field: string; message: string }[] };
  const partnerAction = <T = TPartnerStatus>(action: string, body: unknown) =>
    api<T>(`/api/partners/${partnerId}/${action}`, { method: 'POST', body });
  const contractAction = (action: string, body: unknown) =>
    api<TRefusal>(`/api/contracts/${contractId}/${action}`, { method: 'POST', body });
  expect((await partnerAction('start-review', {})).body.stage).toBe('in_review');

  // Certifying answers every criterion; one not met is refused by name and nothing changes.
  const missing = await partnerAction<TRefusal>('certify', {});
  expect([missing.status, missing.body.problems]).toEqual([400, [{ field: 'checklist', message: 'is required' }]]);
  const notMet = await partnerAction<TRefusal>('certify', {
    checklist: checklistMeeting(CERTIFICATION_CRITERIA.filter((c) => c !== 'families_never_charged')),
  });
  expect(notMet.status).toBe(400);
  expect(notMet.body.problems).toEqual([
    { field: 'checklist.families_never_charged', message: expect.stringMatching(/^families_never_charged is not met/) },
  ]);
  expect((await getPartnerStatus(pipeline.context, partnerId)).stage).toBe('in_review');
  const certified = await partnerAction('certify', { checklist: ALL_CRITERIA_MET, note: 'site visit done' });
  expect(certified.status).toBe(200);
  expect(certified.body.stage).toBe('certified');
  expect(certified.body.certification).toMatchObject({ by: 'Dana Director', note: 'site visit done', checklist: ALL_CRITERIA_MET });

  // Staff record what the agency affirmed; the safety attestation is the representative's to sign.
  const statement = 'Every staff member and volunteer is background-checked by the agency before serving students.';
  const recorded = await partnerAction('records', { kind: 'background_check_affirmation', statement });
  expect(recorded.status).toBe(200);
  expect(recorded.body.records).toEqual([
    { kind: 'background_check_affirmation', schoolYear: null, by: 'Dana Director', at: expect.any(String), statement, method: 'dashboard' },
  ]);
  const badRecords: [unknown, string][] = [
    [{ kind: 'safety_attestation', statement }, 'kind'],
    [{ kind: 'background_check_affirmation', statement: 'ok' }, 'statement'],
  ];
  for (const [body, field] of badRecords) {
    const refused = await partnerAction<TRefusal>('records', body);
    expect([refused.status, refused.body.problems.map((p) => p.field)]).toEqual([400, [field]]);
  }
  expect((await getPartnerStatus(pipeline.context, partnerId)).records).toHaveLength(1);

  // The contract waits for this year's attestation: approving, amending and renewing are refused with why.
  const waiting = await eventually(async () => {
    const { body } = await api<TContractStatus>(`/api/contracts/${contractId}`);
    return body.partner?.stage === 'certified' && body;
  });
  expect([waiting.stage, waiting.waitingFor]).toEqual([
    'awaiting_prerequisites',
    [`safety protocol attestation for ${waiting.schoolYear}`],
  ]);
  const refusals: [string, unknown, RegExp][] = [
    ['approve', {}, /needs no separate approval/],
    [
      'amend',
      { addSchools: ['Whittier International'] },
      /Cannot amend the contract while the stage is awaiting_prerequisites \(allowed in: live\)/,
    ],
    ['renew', {}, /renewal is decided once the contract is live/],
    ['decline-renewal', { reason: 'the school chose another provider' }, /renewal is decided once the contract is live/],
  ];
  for (const [action, body, error] of refusals) {
    const refused = await contractAction(action, body);
    expect({ action, status: refused.status, error: refused.body.error }).toEqual({
      action,
      status: 409,
      error: expect.stringMatching(error),
    });
  }
  const noSchools = await contractAction('amend', { addSchools: [] });
  expect([noSchools.status, noSchools.body.problems.map((p) => p.field)]).toEqual([400, ['addSchools']]);

  // Terminating for cause ends the partnership and its open contract, with the reason.
  const noReason = await partnerAction<TRefusal>('terminate', { reason: 'x' });
  expect([noReason.status, noReason.body.problems.map((p) => p.field)]).toEqual([400, ['reason']]);
  const terminated = await partnerAction('terminate', { reason: 'staff left students unsupervised' });
  expect(terminated.status).toBe(200);
  expect(terminated.body.stage).toBe('terminated');
  const reason = 'the district terminated the partnership for cause: staff left students unsupervised';
  expect(terminated.body.endedReason).toBe(reason);
  const ended = await eventually(async () => {
    const status = await getContractStatus(pipeline.context, contractId);
    return status.stage === 'voided' && status;
  });
  expect(ended.closedReason).toBe(reason);
  expect((await partnerAction<TRefusal>('terminate', { reason: 'again' })).status).toBe(409);
  expect((await contractAction('amend', { addSchools: ['Whittier International'] })).status).toBe(409);
});

test('sign-in: a session cookie opens the pages; guessing passwords is slowed to 10 tries a minute', async () => {
  const signIn = (password: string) =>
    fetch(`${pipeline.baseUrl}/dashboard/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'analyst', password, next: '/dashboard/partners' }).toString(),
      redirect: 'manual',
    });
  const ok = await signIn('analyst-password-1');
  expect([ok.status, ok.headers.get('location')]).toEqual([303, '/dashboard/partners']);
  const cookie = ok.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^cpo_staff=[\w-]+\.[\w-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
  const page = await fetch(`${pipeline.baseUrl}/dashboard/partners`, { headers: { cookie: cookie.split(';')[0]! } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('Ari Analyst');
  const forged = await fetch(`${pipeline.baseUrl}/dashboard/partners`, {
    headers: { cookie: `${cookie.split(';')[0]!.slice(0, -2)}xx` },
    redirect: 'manual',
  });
  expect(forged.status).toBe(303);

  const statuses: number[] = [];
  for (let attempt = 0; attempt < 10; attempt++) statuses.push((await signIn('guess')).status);
  expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
  expect(statuses[9]).toBe(429);
});

test('an address the router refuses (too long, broken escape) answers like other refusals: JSON for the API, a page for pages', async () => {
  const longId = await api<{ error: string }>(`/api/contracts/${'c'.repeat(2_000)}`);
  expect(longId.status).toBe(414);
  expect(longId.body).toEqual({ error: 'The address is too long.' });
  const brokenEscape = await api<string>('/dashboard/contracts/%E0%A4%A');
  expect(brokenEscape.status).toBe(400);
  expect(brokenEscape.headers.get('content-type')).toMatch(/^text\/html/);
  expect(brokenEscape.body).not.toContain('FST_ERR');
});

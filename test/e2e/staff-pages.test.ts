// Starting contracts and recording program starts on the web, per role: the JSON API and the pages over real HTTP,
// with a real Temporal server, worker and SMTP server behind them. A refusal is 403 with the reason and changes nothing.
import { getContractStatus } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import type { TContractStatus, TProgramStart } from '../../domain/schemas/contract';
import { certifiedPartner, contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { contractAwaitingDataSharing, useRealPipeline } from '../helpers/real-pipeline';
import { driveToLive, roleBasicAuth, roleStaffAuth, ROLE_STAFF, type TRoleAccount } from '../helpers/role-staff';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: roleStaffAuth() } });

async function call<T>(path: string, who: TRoleAccount, init: { method?: string; json?: unknown; form?: URLSearchParams } = {}) {
  const headers: Record<string, string> = { authorization: roleBasicAuth(who) };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${pipeline.baseUrl}${path}`, {
    method: init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET'),
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.form ? { body: init.form.toString() } : {}),
    redirect: 'manual',
  });
  const type = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    body: (type.includes('json') ? await response.json() : await response.text()) as T,
    headers: response.headers,
  };
}

const notStarted = async (contractId: string) =>
  expect(getContractStatus(pipeline.context, contractId)).rejects.toThrow(/No contract with id/);
const paidBy = (name: string) => ({ ...departmentPaid, payingDepartment: { ...departmentPaid.payingDepartment, name } });

let partnerId: string;
beforeAll(async () => {
  partnerId = uniqueId('partner');
  await readyPartner(pipeline.context, partnerId);
});

test('POST /api/contracts: the office starts any route, a department only contracts it pays for; other roles get 403 with the reason and nothing starts', async () => {
  const [own, other, zero, byViewer, byPrincipal, office] = ['own', 'other', 'zero', 'viewer', 'principal', 'office'].map((what) =>
    uniqueId(`api-${what}`),
  ) as [string, string, string, string, string, string];
  const ownRequest = { ...contractRequest(own, partnerId, departmentPaid), initiatedBy: undefined };
  const started = await call<TContractStatus>('/api/contracts', 'academics', { json: ownRequest });
  expect(started.status).toBe(201);
  // Initiated by the signed-in person when the request does not say.
  expect(started.body).toMatchObject({
    contractId: own,
    request: {
      payingDepartment: { name: 'Office of Academics' },
      initiatedBy: { name: ROLE_STAFF.academics.name, email: ROLE_STAFF.academics.email },
    },
  });

  const otherDepartment = await call<{ error: string }>('/api/contracts', 'academics', {
    json: contractRequest(other, partnerId, paidBy('Facilities')),
  });
  expect(otherDepartment).toMatchObject({
    status: 403,
    body: { error: 'Refused: your account acts for Office of Academics and may not start contracts paid by Facilities' },
  });
  const zeroDollar = await call<{ error: string }>('/api/contracts', 'academics', { json: contractRequest(zero, partnerId) });
  expect(zeroDollar).toMatchObject({
    status: 403,
    body: { error: 'Refused: your account acts for Office of Academics and may not start contracts on the zero_dollar route' },
  });
  const viewer = await call<{ error: string }>('/api/contracts', 'viewer', { json: contractRequest(byViewer, partnerId) });
  expect(viewer).toMatchObject({ status: 403, body: { error: 'Refused: your account is read-only and may not start contracts' } });
  const principal = await call<{ error: string }>('/api/contracts', 'principal', {
    json: contractRequest(byPrincipal, partnerId, departmentPaid),
  });
  expect(principal).toMatchObject({ status: 403, body: { error: expect.stringContaining('may not start contracts') } });
  for (const id of [other, zero, byViewer, byPrincipal]) await notStarted(id);

  const byOffice = await call<TContractStatus>('/api/contracts', 'office', {
    json: contractRequest(office, partnerId, paidBy('Facilities')),
  });
  expect(byOffice).toMatchObject({ status: 201, body: { contractId: office, request: { payingDepartment: { name: 'Facilities' } } } });
});

test('POST /api/contracts: bad input is 400 naming the field, an unknown school with the close names of the list, and nothing starts', async () => {
  const contractId = uniqueId('api-bad');
  const unknownSchool = await call<{ problems: { field: string; message: string }[] }>('/api/contracts', 'academics', {
    json: contractRequest(contractId, partnerId, { ...departmentPaid, schools: ['Anwatin Middle', 'Folwel Middle'] }),
  });
  expect(unknownSchool.status).toBe(400);
  expect(unknownSchool.body.problems).toEqual([
    {
      field: 'schools',
      message: expect.stringMatching(/^"Folwel Middle" \(did you mean Folwell Middle\?\) is not a school of Minneapolis Public Schools/),
    },
  ]);
  const noAmount = await call<{ problems: { field: string }[] }>('/api/contracts', 'academics', {
    json: contractRequest(contractId, partnerId, { ...departmentPaid, amountCents: 0 }),
  });
  expect(noAmount.status).toBe(400);
  expect(noAmount.body.problems.map((p) => p.field)).toEqual(['amountCents']);
  const notAnObject = await call<{ problems: unknown[] }>('/api/contracts', 'office', { json: ['a list'] });
  expect(notAnObject.status).toBe(400);
  await notStarted(contractId);
});

test('program starts: refused with the reason before live; a principal records one at their school once live; other roles and schools get 403 and nothing is recorded', async () => {
  const contractId = uniqueId('starts');
  expect((await call('/api/contracts', 'academics', { json: contractRequest(contractId, partnerId, departmentPaid) })).status).toBe(201);
  const path = `/api/contracts/${contractId}/program-starts`;

  const early = await call<{ error: string }>(path, 'principal', { json: { school: 'Anwatin Middle' } });
  expect(early.status).toBe(409);
  expect(early.body.error).toMatch(/^Refused: Program cannot start: the final signed contract has not been received/);
  // The page says the same, with the button.
  const page = await call<string>(`/dashboard/schools/${encodeURIComponent('Anwatin Middle')}`, 'principal');
  expect(page.status).toBe(200);
  expect(page.body).toMatch(
    new RegExp(
      `data-contract="${contractId}"[\\s\\S]*?data-may-start="no"><span class="blocked">No: the final signed contract has not been received`,
    ),
  );

  await driveToLive(pipeline.context, contractId, partnerId);
  for (const [who, body, reason] of [
    [
      'principal',
      { school: 'Folwell Middle' },
      'your account acts for the schools Anwatin Middle and may not record program starts at Folwell Middle',
    ],
    [
      'principal',
      {},
      'your account acts for the schools Anwatin Middle and may not record a program start at every school of a contract at once',
    ],
    ['academics', { school: 'Anwatin Middle' }, 'your account acts for Office of Academics and may not record program starts'],
    ['viewer', { school: 'Anwatin Middle' }, 'your account is read-only and may not record program starts'],
  ] as const) {
    expect(await call(path, who, { json: body })).toMatchObject({ status: 403, body: { error: `Refused: ${reason}` } });
  }
  expect((await getContractStatus(pipeline.context, contractId)).programStarts).toEqual([]);

  const recorded = await call<TProgramStart>(path, 'principal', { json: { school: 'Anwatin Middle' } });
  expect(recorded).toMatchObject({ status: 201, body: { school: 'Anwatin Middle', by: ROLE_STAFF.principal.name } });
  expect((await getContractStatus(pipeline.context, contractId)).programStarts).toEqual([recorded.body]);
});

test('the per-school page: principals see their schools only, record a start with the button, and see the refusal with the reason', async () => {
  const [live, waiting] = [uniqueId('page-live'), uniqueId('page-waiting')];
  for (const id of [live, waiting])
    expect((await call('/api/contracts', 'academics', { json: contractRequest(id, partnerId, departmentPaid) })).status).toBe(201);
  await driveToLive(pipeline.context, live, partnerId);
  const school = `/dashboard/schools/${encodeURIComponent('Anwatin Middle')}`;

  expect((await call<string>('/dashboard/schools', 'principal')).body).toContain(`href="${school}"`);
  for (const [who, path, reason] of [
    ['principal', `/dashboard/schools/${encodeURIComponent('Folwell Middle')}`, 'may not record program starts at Folwell Middle'],
    ['viewer', school, 'is read-only and may not record program starts at Anwatin Middle'],
    ['academics', '/dashboard/schools', 'may not record program starts'],
  ] as const) {
    const refused = await call<string>(path, who);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain(reason);
  }

  const before = await call<string>(school, 'principal');
  expect(before.body).toMatch(new RegExp(`data-contract="${live}"[\\s\\S]*?data-may-start="yes"><strong>Yes</strong>`));
  const tooEarly = await call<string>(`${school}/program-starts`, 'principal', { form: new URLSearchParams({ contractId: waiting }) });
  expect(tooEarly.status).toBe(409);
  expect(tooEarly.body).toContain('Refused: Program cannot start: the final signed contract has not been received');
  const refusedForOthers = await call<string>(`${school}/program-starts`, 'viewer', { form: new URLSearchParams({ contractId: live }) });
  expect(refusedForOthers.status).toBe(403);
  expect((await getContractStatus(pipeline.context, live)).programStarts).toEqual([]);

  const recorded = await call<string>(`${school}/program-starts`, 'principal', { form: new URLSearchParams({ contractId: live }) });
  expect(recorded.status).toBe(303);
  expect(recorded.headers.get('location')).toBe(`${school}?started=yes`);
  expect((await getContractStatus(pipeline.context, live)).programStarts).toMatchObject([
    { school: 'Anwatin Middle', by: ROLE_STAFF.principal.name },
  ]);
  const after = await call<string>(`${school}?started=yes`, 'principal');
  expect(after.body).toContain('The program start is recorded.');
  expect(after.body).toMatch(
    new RegExp(`data-contract="${live}"[\\s\\S]*?<span class="badge good">Started</span> ${ROLE_STAFF.principal.name}`),
  );
});

test('the New contract form: a department is offered its routes and departments only, errors are shown beside their fields with what was typed kept, and a good form starts the contract', async () => {
  const routes = await call<string>('/dashboard/new-contract', 'academics');
  expect(routes.status).toBe(200);
  expect([...routes.body.matchAll(/data-route="([a-z_]+)"/g)].map((m) => m[1])).toEqual(['department_paid']);
  expect([...(await call<string>('/dashboard/new-contract', 'office')).body.matchAll(/data-route="([a-z_]+)"/g)].map((m) => m[1])).toEqual([
    'department_paid',
    'zero_dollar',
    'afterschool_enrichment',
    'afterschool_academic',
  ]);
  const form = await call<string>('/dashboard/new-contract?route=department_paid', 'academics');
  expect(form.body).toContain(
    '<select id="f-payingDepartment.name" name="payingDepartment.name"><option value="Office of Academics">Office of Academics</option></select>',
  );
  expect(form.body).toContain(`<option value="${partnerId}">`);
  // The $0 route asks for no amount and no department.
  const zero = await call<string>('/dashboard/new-contract?route=zero_dollar', 'office');
  expect(zero.body).toContain('<input type="hidden" name="amount" value="0">');
  expect(zero.body).not.toContain('payingDepartment.name');
  const refused = await call<string>('/dashboard/new-contract', 'viewer');
  expect(refused.status).toBe(403);
  expect(refused.body).toContain('Refused: your account is read-only and may not start contracts');

  const contractId = uniqueId('form');
  const fields = new URLSearchParams({
    route: 'department_paid',
    contractId,
    partnerId,
    programName: 'Robotics club',
    category: 'contracted_partner',
    amount: '12.345',
    startDate: contractRequest(contractId, partnerId).startDate,
    endDate: contractRequest(contractId, partnerId).endDate,
    'payingDepartment.name': 'Office of Academics',
    'payingDepartment.approverName': 'Dana Approver',
    'payingDepartment.approverEmail': 'dana.approver@mpls.k12.mn.us',
  });
  fields.append('services', 'arts');
  const bad = await call<string>('/dashboard/new-contract', 'academics', { form: fields });
  expect(bad.status).toBe(400);
  expect(bad.body).toMatch(
    /data-field="schools"[^>]*>[\s\S]*?<span class="field-error" id="e-schools" role="alert">needs at least one school<\/span>/,
  );
  expect(bad.body).toMatch(
    /data-field="amount">[\s\S]*?<span class="field-error" id="e-amount" role="alert">expected dollars with at most two decimals/,
  );
  expect(bad.body).toContain('value="Robotics club"');
  expect(bad.body).toContain('<input type="checkbox" name="services" value="arts" checked>');
  await notStarted(contractId);

  fields.set('amount', '1250.50');
  fields.append('schools', 'Anwatin Middle');
  fields.append('schools', 'Sanford Middle');
  fields.set('payingDepartment.name', 'Facilities');
  expect((await call<string>('/dashboard/new-contract', 'academics', { form: fields })).status).toBe(403);
  await notStarted(contractId);
  fields.set('payingDepartment.name', 'Office of Academics');
  const good = await call<string>('/dashboard/new-contract', 'academics', { form: fields });
  expect(good.status).toBe(303);
  expect(good.headers.get('location')).toBe(`/dashboard/contracts/${contractId}`);
  // The partner's representative signs when no signer is typed.
  expect(await getContractStatus(pipeline.context, contractId)).toMatchObject({
    request: {
      amountCents: 125_050,
      schools: ['Anwatin Middle', 'Sanford Middle'],
      services: ['arts'],
      initiatedBy: { email: ROLE_STAFF.academics.email },
      partnerSigner: { email: `lan@${partnerId}.example` },
    },
  });
});

test('the navigation shows "New contract" only to roles that may start contracts and "Program starts" only to schools and the office', async () => {
  const navOf = async (who: TRoleAccount) => {
    const page = await call<string>('/dashboard/partners', who);
    expect(page.status).toBe(200);
    return [...page.body.match(/<nav>([\s\S]*?)<\/nav>/)![1]!.matchAll(/<a href="[^"]*"[^>]*>([^<]*)<\/a>/g)].map((link) => link[1]);
  };
  const everyone = ['Pipeline', 'Contracts', 'Partners', 'Partnership directory'];
  expect(await navOf('office')).toEqual(['Pipeline', 'Contracts', 'New contract', 'Partners', 'Program starts', 'Partnership directory']);
  expect(await navOf('academics')).toEqual(['Pipeline', 'Contracts', 'New contract', 'Partners', 'Partnership directory']);
  expect(await navOf('principal')).toEqual(['Pipeline', 'Contracts', 'Partners', 'Program starts', 'Partnership directory']);
  expect(await navOf('viewer')).toEqual(everyone);
});

test('the partner page lists the pending affirmation request with a Resend button for the office only; a resend sends request #2 and the older link stops working', async () => {
  const { partnerId: asked, email, mail } = await contractAwaitingDataSharing(pipeline);
  const oldLink = /(http:\/\/127\.0\.0\.1:\d+\/affirm\/[A-Za-z0-9_.-]+)/.exec(mail.parsed.text ?? '')![1]!;
  const officePage = await call<string>(`/dashboard/partners/${asked}`, 'office');
  expect(officePage.body).toMatch(
    /Data-sharing \(FERPA\) agreement: request #1 sent <time[^>]*>[^<]*<\/time>, not opened yet<form method="post" action="\/dashboard\/partners\/[^"]+\/actions\/resend-record">/i,
  );
  const viewerPage = await call<string>(`/dashboard/partners/${asked}`, 'viewer');
  expect(viewerPage.body).toContain('request #1');
  expect(viewerPage.body).not.toContain('Resend the request');
  const refused = await call<string>(`/dashboard/partners/${asked}/actions/resend-record`, 'viewer', {
    form: new URLSearchParams({ kind: 'data_sharing_agreement' }),
  });
  expect(refused.status).toBe(403);
  const badKind = await call<string>(`/dashboard/partners/${asked}/actions/resend-record`, 'office', {
    form: new URLSearchParams({ kind: 'safety_attestation' }),
  });
  expect(badKind.status).toBe(400);
  expect(badKind.body).toContain('kind');
  expect((await getPartnerStatus(pipeline.context, asked)).recordRequests).toHaveLength(1);

  const resent = await call<string>(`/dashboard/partners/${asked}/actions/resend-record`, 'office', {
    form: new URLSearchParams({ kind: 'data_sharing_agreement' }),
  });
  expect(resent.status).toBe(303);
  const second = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(email) && /Data-sharing.*\(request #2\)/.test(m.parsed.subject ?? ''),
  );
  const newLink = /(http:\/\/127\.0\.0\.1:\d+\/affirm\/[A-Za-z0-9_.-]+)/.exec(second.parsed.text ?? '')![1]!;
  const old = await fetch(oldLink, {
    method: 'POST',
    body: new URLSearchParams({ consent: 'yes', name: 'Lan Nguyễn', title: 'Director' }),
  });
  expect(old.status).toBe(409);
  expect(await old.text()).toContain('A newer request for this record replaced this one');
  expect((await fetch(newLink)).status).toBe(200);
  const history = await eventually(async () => {
    const events = (await getPartnerStatus(pipeline.context, asked)).history.map((h) => h.event);
    return events.includes('record_viewed') && events;
  });
  expect(history.filter((e) => e.startsWith('record_'))).toEqual([
    'record_requested',
    'record_resend_asked',
    'record_resent',
    'record_requested',
    'record_viewed',
  ]);
  expect((await getPartnerStatus(pipeline.context, asked)).records).toEqual([]);
});

test('the partner page offers the office a Resend of the unsigned attestation form; a resend emails request #2 and the older link stops working', async () => {
  const partnerId = uniqueId('unsigned');
  const { representative } = await certifiedPartner(pipeline.context, partnerId);
  const first = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(representative.email) && /attestation/i.test(m.parsed.subject ?? ''),
  );
  const oldLink = /(http:\/\/127\.0\.0\.1:\d+\/attest\/[A-Za-z0-9_.-]+)/.exec(first.parsed.text ?? '')![1]!;
  const officePage = await call<string>(`/dashboard/partners/${partnerId}`, 'office');
  expect(officePage.body).toMatch(
    /\d{4}-\d{4}: not signed yet<form method="post" action="\/dashboard\/partners\/[^"]+\/actions\/resend-attestation">/,
  );
  expect((await call<string>(`/dashboard/partners/${partnerId}`, 'viewer')).body).not.toContain('Resend the attestation form');
  const refused = await call<string>(`/dashboard/partners/${partnerId}/actions/resend-attestation`, 'viewer', {
    form: new URLSearchParams(),
  });
  expect(refused.status).toBe(403);
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestationRequests).toHaveLength(1);

  const resent = await call<string>(`/dashboard/partners/${partnerId}/actions/resend-attestation`, 'office', {
    form: new URLSearchParams(),
  });
  expect(resent.status).toBe(303);
  const second = await pipeline.catcher.waitFor(
    (m) => m.envelopeTo.includes(representative.email) && /\(request #2\)/.test(m.parsed.subject ?? ''),
  );
  expect(second.parsed.subject).toMatch(/attestation/i);
  expect((await fetch(oldLink)).status).toBeGreaterThanOrEqual(400);
  expect((await getPartnerStatus(pipeline.context, partnerId)).attestationRequests).toHaveLength(2);
});

// Roles on every existing dashboard page and API route, over real HTTP against a real worker and Temporal server:
// departments and schools read only their own contracts, the viewer reads everything, only the office acts (and a
// department approves its own). A refusal is a 403 with the reason and leaves the workflow's history where it was.
import { getContractStatus, startContract } from '../../client/contracts';
import type { TPipelineBoard } from '../../client/search/pipeline-board';
import type { TContractListing } from '../../client/search/search-contracts';
import { contractWorkflowId } from '../../domain/vocabulary';
import { contractRequest, departmentPaid, readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { basicAuth, ROLE_DEPARTMENT, ROLE_SCHOOL, STAFF, testStaffAuth } from '../helpers/staff';
import { eventually, testPolicy, uniqueId, useTemporalTestEnvironment, withSchools } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
// The principal's school is added to the policy's school list, which contracts must name schools from.
const pipeline = useRealPipeline(temporal, { server: { staff: testStaffAuth() }, policy: withSchools(testPolicy(), [ROLE_SCHOOL]) });
type TWho = keyof typeof STAFF;

async function call<T>(who: TWho, path: string, init: { method?: string; body?: unknown; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: basicAuth(who) };
  let body: string | undefined;
  if (init.body !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.body)];
  if (init.form) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
  const response = await fetch(`${pipeline.baseUrl}${path}`, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    ...(body ? { body } : {}),
    redirect: 'manual',
  });
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json')
    ? await response.json()
    : type.includes('pdf')
      ? await response.arrayBuffer()
      : await response.text();
  return { status: response.status, body: parsed as T };
}

/** The number of events in a contract's history: a refused request must not add one. */
const historyLength = async (contractId: string) => {
  const history = await pipeline.context.client.workflow.getHandle(contractWorkflowId(contractId)).fetchHistory();
  return history.events?.length ?? 0;
};

let word: string;
let departmentContract: string;
let schoolContract: string;

beforeAll(async () => {
  word = uniqueId('roles').replace(/-/g, '');
  const partnerId = uniqueId('partner');
  await readyPartner(pipeline.context, partnerId, { organizationName: `Roles ${word} Mentoring` });
  departmentContract = uniqueId('contract');
  schoolContract = uniqueId('contract');
  await startContract(
    pipeline.context,
    contractRequest(departmentContract, partnerId, {
      ...departmentPaid,
      payingDepartment: { name: ROLE_DEPARTMENT, approverName: STAFF.department.name, approverEmail: STAFF.department.email },
      initiatedBy: { name: STAFF.department.name, email: STAFF.department.email },
      schools: ['Anwatin Middle'],
    }),
  );
  await startContract(pipeline.context, contractRequest(schoolContract, partnerId, { schools: [ROLE_SCHOOL] }));
  // Both listed before the tests read lists (visibility is eventually consistent).
  await eventually(
    async () => (await call<{ contracts: TContractListing[] }>('director', `/api/contracts?text=${word}`)).body.contracts.length === 2,
  );
});

const listed = async (who: TWho) => {
  const { body } = await call<{ contracts: TContractListing[] }>(who, `/api/contracts?text=${word}`);
  return body.contracts.map((c) => c.contractId).sort();
};

test('lists and board counts: departments and schools see their own contracts, the viewer and the office all', async () => {
  expect(await listed('director')).toEqual([departmentContract, schoolContract].sort());
  expect(await listed('viewer')).toEqual([departmentContract, schoolContract].sort());
  expect(await listed('department')).toEqual([departmentContract]);
  expect(await listed('principal')).toEqual([schoolContract]);
  const total = async (who: TWho) => {
    const { body } = await call<TPipelineBoard>(who, `/api/board?text=${word}`);
    return Object.values(body.contracts).reduce((a, b) => a + b, 0);
  };
  expect([await total('director'), await total('viewer'), await total('department'), await total('principal')]).toEqual([2, 2, 1, 1]);

  const boardPage = await call<string>('department', `/dashboard/contracts?text=${word}`);
  expect(boardPage.status).toBe(200);
  expect(boardPage.body).toContain(departmentContract);
  expect(boardPage.body).not.toContain(schoolContract);
});

test('a contract the account may not see is refused (403 with the reason), on the API, its documents and its page', async () => {
  const json = await call<{ error: string }>('department', `/api/contracts/${schoolContract}`);
  expect(json).toEqual({
    status: 403,
    body: expect.objectContaining({ error: `Not allowed: your account acts for ${ROLE_DEPARTMENT} and may not see this contract` }),
  });
  const document = await call<{ error: string }>('principal', `/api/contracts/${departmentContract}/documents/contract`);
  expect(document.status).toBe(403);
  expect(document.body.error).toMatch(/acts for the schools Roosevelt High \(roles\) and may not see this contract/);
  const page = await call<string>('principal', `/dashboard/contracts/${departmentContract}`);
  expect(page.status).toBe(403);
  expect(page.body).toContain('may not see this contract');
  expect(page.body).not.toContain('After-school reading circles</h1>');
  expect((await call('principal', `/api/contracts/${schoolContract}`)).status).toBe(200);
  expect((await call('viewer', `/api/contracts/${departmentContract}`)).status).toBe(200);
});

/** The workflow has nothing in flight (its first emails sent), so its history grows only if something acts on it. */
const settled = async (contractId: string): Promise<boolean> => {
  const { raw } = await pipeline.context.client.workflow.getHandle(contractWorkflowId(contractId)).describe();
  return (raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask;
};

test('actions: only the office acts; a refusal is 403 with the reason and the workflow does not move', async () => {
  await eventually(
    async () =>
      (await getContractStatus(pipeline.context, schoolContract)).stage === 'awaiting_partner_signature' && settled(schoolContract),
  );
  const before = await historyLength(schoolContract);
  const refusals: [TWho, string, unknown, RegExp][] = [
    ['viewer', 'void', { reason: 'testing the viewer' }, /your account is read-only and may not void contracts/],
    ['department', 'void', { reason: 'not our contract' }, /acts for Office of Black Student Achievement and may not void contracts/],
    ['principal', 'amend', { addSchools: ['Folwell Middle'] }, /acts for the schools .* and may not amend contracts/],
    ['principal', 'resend', {}, /may not resend signature requests/],
    ['viewer', 'approve', {}, /read-only and may not approve this contract/],
    // Refused before the body is read: a bad body from a refused account is still a 403.
    ['viewer', 'countersign', { consent: false }, /may not countersign contracts/],
  ];
  for (const [who, action, body, reason] of refusals) {
    const response = await call<{ error: string }>(who, `/api/contracts/${schoolContract}/${action}`, { body });
    expect({ who, action, status: response.status }).toEqual({ who, action, status: 403 });
    expect(response.body.error).toMatch(reason);
  }
  const partnerId = (await getContractStatus(pipeline.context, schoolContract)).request.partnerId;
  const terminate = await call<{ error: string }>('department', `/api/partners/${partnerId}/terminate`, {
    body: { reason: 'a department tries' },
  });
  expect([terminate.status, terminate.body.error]).toEqual([403, expect.stringMatching(/may not terminate partnerships/)]);

  // The same on the pages: the refusal is a page with 403, not the contract.
  const page = await call<string>('viewer', `/dashboard/contracts/${schoolContract}/actions/void`, { form: { reason: 'from the page' } });
  expect(page.status).toBe(403);
  expect(page.body).toContain('read-only and may not void contracts');
  const partnerPage = await call<string>('principal', `/dashboard/partners/${partnerId}/actions/terminate`, {
    form: { reason: 'from the page' },
  });
  expect(partnerPage.status).toBe(403);

  expect(await historyLength(schoolContract)).toBe(before);
  const status = await getContractStatus(pipeline.context, schoolContract);
  expect(status.stage).not.toBe('voided');
  expect(status.amendments).toEqual([]);
  expect(status.partner?.stage).toBe('certified');
});

test('pages show each role only the buttons it may use', async () => {
  const viewerPage = (await call<string>('viewer', `/dashboard/contracts/${departmentContract}`)).body;
  expect(viewerPage).not.toMatch(/<button[^>]*>(Approve|Void|Resend|Countersign)/);
  expect(viewerPage).toContain('read-only and may not take them');
  const departmentPage = (await call<string>('department', `/dashboard/contracts/${departmentContract}`)).body;
  expect(departmentPage).not.toMatch(/<button[^>]*>(Void|Resend)/);
  expect(departmentPage).toContain(`acts for ${ROLE_DEPARTMENT} and may not take them`);
  const officePage = (await call<string>('director', `/dashboard/contracts/${departmentContract}`)).body;
  expect(officePage).toContain('>Void</button>');

  const partnerId = (await getContractStatus(pipeline.context, departmentContract)).request.partnerId;
  const principalPartnerPage = (await call<string>('principal', `/dashboard/partners/${partnerId}`)).body;
  expect(principalPartnerPage).not.toContain('Terminate for cause');
  expect(principalPartnerPage).toContain('may not act on partners');
  expect((await call<string>('director', `/dashboard/partners/${partnerId}`)).body).toContain('Terminate for cause');
});

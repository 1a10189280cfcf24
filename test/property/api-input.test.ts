// Property-based bad input for every HTTP route (JSON API, staff pages and their forms, sign-in, the signing
// pages), over real HTTP against a real Temporal server: bad input is answered with a 4xx that says what is wrong
// (the field, where a field is wrong), never a 5xx or a stack trace, and the workflows it was aimed at do not change.
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createFolderDocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../../client/context';
import { getContractStatus } from '../../client/contracts';
import { ZDirectorySearchSchema } from '../../client/search/partnership-directory';
import { ZBoardFilterSchema } from '../../client/search/pipeline-board';
import { ZContractSearchSchema } from '../../client/search/search-contracts';
import { ZPartnerSearchSchema } from '../../client/search/search-partners';
import { ZFilterTextSchema } from '../../client/search/visibility-query';
import { ZDateSchema } from '../../domain/dates';
import { fieldProblems } from '../../domain/format-zod-error';
import { ZEmailSchema, ZIdSchema, ZNameSchema, ZReasonSchema } from '../../domain/schemas/common';
import { newContractRequestSchemaFor } from '../../domain/schemas/contract';
import { PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../domain/vocabulary';
import { createAgencyRecordToken, verifyAgencyRecordToken, type TAgencyRecordClaims } from '../../security/agency-record-token';
import { createAttestationToken, verifyAttestationToken, type TAttestationClaims } from '../../security/attestation-token';
import {
  createSigningToken,
  signingClaimsToWire,
  verifySigningToken,
  ZSigningWireSchema,
  type TSigningClaims,
} from '../../security/signing-token';
import {
  approvalClaimsToWire,
  createApprovalToken,
  verifyApprovalToken,
  ZApprovalWireSchema,
  type TApprovalClaims,
} from '../../security/approval-token';
import { createServer, ZSignFormSchema } from '../../server/create-server';
import { ZLoginFormSchema } from '../../server/dashboard/register-pages';
import { ACTION_BODY_SCHEMAS, CONTRACT_ACTIONS, PARTNER_ACTIONS } from '../../server/dashboard/staff-actions';
import {
  anyJson,
  anySendableText,
  corruptOneField,
  extraFields,
  invalidBy,
  leaksInternals,
  refusedBy,
  sameField,
} from '../helpers/bad-input';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, contractRequest } from '../helpers/fixtures';
import { declaredRoutes, formBody, httpRequest, type THttpResponse } from '../helpers/http-client';
import {
  CPO_OFFICE,
  knownHandles,
  snapshotAll,
  startKnownWorkflows,
  type TKnownHandle,
  type TKnownWorkflowKey,
  type TKnownWorkflows,
  type TWorkflowSnapshot,
} from '../helpers/known-workflows';
import { STAFF, testStaffAuth } from '../helpers/staff';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

/** Runs per property; each run is one HTTP request (some reach Temporal). */
const RUNS = 40;
const SECRET = 'property-test-signing-secret-0123456789abcdef';

const temporal = useTemporalTestEnvironment();
let context: TCpoContext;
let known: TKnownWorkflows;
let handles: TKnownHandle[];
let baseline: TWorkflowSnapshot[];
let server: FastifyInstance;
let baseUrl: string;
let host: string;
let dataDir: string;
const UNREACHABLE_OIDC = {
  issuer: 'http://127.0.0.1:9',
  clientId: 'cpo-dashboard',
  clientSecret: 'a-client-secret-0123456789',
  redirectUrl: 'http://127.0.0.1:3000/dashboard/oidc/callback',
  roleMapping: { claim: 'groups', map: { 'cpo-office': { role: 'cpo' as const } } },
  label: 'Sign in with the district account',
};

/** A signed-in director's session cookie: Basic credentials cost an scrypt check per request. */
let cookie: string;

beforeAll(async () => {
  const worker = await fakeWorkerFor(temporal, 'api-property');
  temporal.runWorkerForFile(worker.worker);
  context = worker.context;
  dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-api-property-'));
  server = await createServer({
    context,
    documents: createFolderDocumentStore(path.join(dataDir, 'documents')),
    signingSecret: SECRET,
    signingRateLimit: 1_000_000,
    // An identity provider that does not answer (nothing listens on port 9): its routes are checked all the same.
    staff: { ...testStaffAuth(), oidc: UNREACHABLE_OIDC },
  });
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  const listening = server;
  temporal.stopBeforeWorkers(() => listening.close());
  host = new URL(baseUrl).host;
  known = await startKnownWorkflows(context, 'api');
  handles = knownHandles(context, known);
  baseline = await snapshotAll(handles);
  const signIn = await send('POST', '/dashboard/login', { form: { username: STAFF.director.username, password: STAFF.director.password } });
  expect(signIn.status).toBe(303);
  cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  // "No workflow changes": history, execution status, status query, accepted updates, failed tasks.
  expect(await snapshotAll(handles)).toEqual(baseline);
});

// ---------------------------------------------------------------------------------------------------------------
// Requests and the checks every refusal must pass.

interface TSend {
  json?: unknown;
  form?: Record<string, unknown>;
  raw?: { body: string; type: string };
  headers?: Record<string, string>;
  staff?: boolean;
}
function send(method: string, pathAndQuery: string, options: TSend = {}): Promise<THttpResponse> {
  const headers: Record<string, string> = { ...(options.staff && cookie ? { cookie } : {}), ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) [body, headers['content-type']] = [JSON.stringify(options.json), 'application/json'];
  if (options.form !== undefined) [body, headers['content-type']] = [formBody(options.form), 'application/x-www-form-urlencoded'];
  if (options.raw !== undefined) [body, headers['content-type']] = [options.raw.body, options.raw.type];
  return httpRequest(baseUrl, { method, path: pathAndQuery, headers, ...(body !== undefined ? { body } : {}) });
}
const staffSend = (method: string, pathAndQuery: string, options: TSend = {}) => send(method, pathAndQuery, { ...options, staff: true });

const describeResponse = (what: string, response: THttpResponse) =>
  `${what}\n→ ${response.status} ${response.headers['content-type']}\n${response.text.slice(0, 600)}`;
/** Stack frames, error classes, Fastify's internal error codes: none may reach a response. */
const HTML_INTERNALS = /\n\s+at |\bat [^\s]+\.[jt]s:\d+|TypeError|ReferenceError|RangeError|Internal Server Error/;

function expectRefused(response: THttpResponse, what: string, statuses: number[] | '4xx' = '4xx'): void {
  const context = describeResponse(what, response);
  const ok = statuses === '4xx' ? response.status >= 400 && response.status < 500 : statuses.includes(response.status);
  expect([context, ok]).toEqual([context, true]);
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('json')) {
    const body = response.json as { error?: unknown; message?: unknown } | undefined;
    expect([context, typeof body?.error === 'string' || typeof body?.message === 'string']).toEqual([context, true]);
    expect([context, leaksInternals(response.text)]).toEqual([context, false]);
  } else {
    expect([context, type]).toEqual([context, expect.stringMatching(/^text\/(html|plain)/)]);
    expect([context, HTML_INTERNALS.test(response.text)]).toEqual([context, false]);
  }
}
/** A JSON refusal whose problems include the field (or a field inside or around it). */
function expectFieldProblem(response: THttpResponse, what: string, field: string): void {
  const context = describeResponse(`${what}\nshould name ${field}`, response);
  const problems = (response.json as { problems?: { field: string }[] } | undefined)?.problems ?? [];
  expect([context, problems.some((problem) => sameField(problem.field, field))]).toEqual([context, true]);
}
/** An HTML refusal that names the field. */
function expectPageNames(response: THttpResponse, what: string, field: string): void {
  const context = describeResponse(`${what}\nshould name ${field}`, response);
  expect([context, response.text.includes(field)]).toEqual([context, true]);
}
const propertyOptions = { numRuns: RUNS, endOnFailure: true } as const;
const enc = encodeURIComponent;
/** A request a token's page takes: its method, path and body. */
type TTokenRoute = (token: string) => readonly [string, string, TSend];
/** Sends a token to every route it reaches: each refuses it with one of `statuses`, never cached or sent on as a Referer. */
const refusedOnEveryRoute = (routes: readonly TTokenRoute[]) => async (token: string, statuses: number[], what: string) => {
  for (const route of routes) {
    const [method, target, options] = route(enc(token));
    const response = await send(method, target, options);
    expectRefused(response, `${what}: ${method} ${target}`, statuses);
    // A path over the router's limit (414) is refused before any route, by the server's framework error page.
    if (response.status !== 414)
      expect([what, response.headers['cache-control'], response.headers['referrer-policy']]).toEqual([what, 'no-store', 'no-referrer']);
  }
};
const query = (params: Record<string, unknown>): string => {
  const text = formBody(params);
  return text ? `?${text}` : '';
};
const idOf = (key: TKnownWorkflowKey): string => known[key];

// ---------------------------------------------------------------------------------------------------------------
// What each action takes: the schemas server/dashboard/staff-actions.ts checks bodies with.

interface TActionCase {
  section: 'contracts' | 'partners';
  action: string;
  /** The workflow it is aimed at: one where the valid body would be accepted, wherever the known set has one. */
  target: TKnownWorkflowKey;
  schema: z.ZodType;
  /** A valid JSON body (the form posts the same fields as strings). */
  json: Record<string, unknown>;
  form: Record<string, unknown>;
}
const ACTION_CASES: TActionCase[] = [
  {
    section: 'contracts',
    action: 'countersign',
    target: 'awaiting',
    schema: ACTION_BODY_SCHEMAS.countersign,
    json: { consent: true },
    form: { consent: 'yes' },
  },
  {
    section: 'contracts',
    action: 'void',
    target: 'awaiting',
    schema: ACTION_BODY_SCHEMAS.reason,
    json: { reason: 'program cancelled' },
    form: { reason: 'program cancelled' },
  },
  {
    section: 'contracts',
    action: 'amend',
    target: 'live',
    schema: ACTION_BODY_SCHEMAS.amend,
    json: { addSchools: ['Sanford Middle', 'Lyndale'], note: 'asked for' },
    form: { addSchools: 'Sanford Middle\nLyndale', note: 'asked for' },
  },
  {
    section: 'contracts',
    action: 'renew',
    target: 'live',
    schema: ACTION_BODY_SCHEMAS.renew,
    json: { changes: { contractId: 'next-year-reading', schools: ['Lyndale Elementary'], amountCents: 0 } },
    form: {},
  },
  {
    section: 'contracts',
    action: 'decline-renewal',
    target: 'live',
    schema: ACTION_BODY_SCHEMAS.reason,
    json: { reason: 'another provider' },
    form: { reason: 'another provider' },
  },
  {
    section: 'contracts',
    action: 'certify',
    target: 'awaiting',
    schema: ACTION_BODY_SCHEMAS.certify,
    json: { checklist: ALL_CRITERIA_MET, note: 'site visit' },
    form: { checklist: ['', ...Object.keys(ALL_CRITERIA_MET)], note: 'site visit' },
  },
  {
    section: 'partners',
    action: 'certify',
    target: 'reviewing',
    schema: ACTION_BODY_SCHEMAS.certify,
    json: { checklist: ALL_CRITERIA_MET, note: 'site visit' },
    form: { checklist: ['', ...Object.keys(ALL_CRITERIA_MET)], note: 'site visit' },
  },
  {
    section: 'partners',
    action: 'reject',
    target: 'reviewing',
    schema: ACTION_BODY_SCHEMAS.reason,
    json: { reason: 'not a community partner' },
    form: { reason: 'not a community partner' },
  },
  {
    section: 'partners',
    action: 'records',
    target: 'certified',
    schema: ACTION_BODY_SCHEMAS.records,
    json: { kind: 'photo_video_consent_practice', statement: 'Families sign the consent form first.', schoolYear: '2026-2027' },
    form: { kind: 'photo_video_consent_practice', statement: 'Families sign the consent form first.' },
  },
  {
    section: 'partners',
    action: 'resend-record',
    target: 'certified',
    schema: ACTION_BODY_SCHEMAS['resend-record'],
    json: { kind: 'data_sharing_agreement' },
    form: { kind: 'data_sharing_agreement' },
  },
  {
    section: 'partners',
    action: 'terminate',
    target: 'certified',
    schema: ACTION_BODY_SCHEMAS.reason,
    json: { reason: 'students left unsupervised' },
    form: { reason: 'students left unsupervised' },
  },
];
const caseName = (c: TActionCase) => `${c.section}/${c.action}`;
/** What JSON carries: undefined fields vanish, -0 becomes 0. */
const overJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
/** A form's fields: strings, or several of them. */
const formValue = fc.oneof(
  { weight: 4, arbitrary: anySendableText },
  { weight: 1, arbitrary: fc.array(anySendableText, { minLength: 2, maxLength: 3 }) },
);

describe('JSON API', () => {
  test.each(ACTION_CASES.map((c) => [caseName(c), c] as const))(
    'POST /api/%s: a body with one field wrong is refused with 400 naming it',
    async (_name, c) => {
      await fc.assert(
        fc.asyncProperty(corruptOneField(c.schema, c.json), extraFields, async ({ path: field, payload }, extra) => {
          const body = overJson({ ...extra, ...(payload as object) });
          fc.pre(!c.schema.safeParse(body).success);
          const response = await staffSend('POST', `/api/${c.section}/${idOf(c.target)}/${c.action}`, { json: body });
          const what = `POST /api/${caseName(c)} ${JSON.stringify(body)}`;
          expectRefused(response, what, [400]);
          expectFieldProblem(response, what, field);
        }),
        propertyOptions,
      );
    },
  );

  test.each(ACTION_CASES.map((c) => [caseName(c), c] as const))(
    'POST /api/%s: a body that is not an object, not JSON, of another type or too large is refused',
    async (_name, c) => {
      const notAnObject = refusedBy(
        z
          .any()
          .transform((v: unknown): unknown => v ?? {})
          .pipe(c.schema),
        anyJson,
      ).map((value) => ({
        kind: 'JSON the action refuses',
        raw: { body: JSON.stringify(value), type: 'application/json' },
        statuses: [400],
      }));
      const notJson = fc
        .tuple(fc.nat(), anySendableText)
        .map(([cut, garbage]) => {
          const text = JSON.stringify(c.json);
          return `${text.slice(0, cut % text.length)}${garbage}`;
        })
        .filter((text) => {
          try {
            JSON.parse(text);
            return false;
          } catch {
            return true;
          }
        })
        .map((body) => ({ kind: 'not JSON', raw: { body, type: 'application/json' }, statuses: [400] }));
      const poisoned = fc
        .constantFrom(
          '{"__proto__":{"isAdmin":true}}',
          '{"constructor":{"prototype":{"isAdmin":true}}}',
          `{"reason":"program cancelled","__proto__":{"x":1}}`,
        )
        .map((body) => ({ kind: 'prototype poisoning', raw: { body, type: 'application/json' }, statuses: [400] }));
      const otherType = fc
        .constantFrom(
          'application/xml',
          'application/octet-stream',
          'multipart/form-data; boundary=x',
          'image/png',
          'application/jsonx',
          'application/json-patch',
          'text/csv',
          'x',
        )
        .map((type) => ({ kind: 'another content type', raw: { body: JSON.stringify(c.json), type }, statuses: [415] }));
      const tooLarge = fc.integer({ min: 17_000, max: 40_000 }).map((size) => ({
        kind: 'too large',
        raw: { body: JSON.stringify({ ...c.json, note: 'x'.repeat(size) }), type: 'application/json' },
        statuses: [413],
      }));
      await fc.assert(
        fc.asyncProperty(fc.oneof(notAnObject, notJson, poisoned, otherType, tooLarge), async ({ kind, raw, statuses }) => {
          const response = await staffSend('POST', `/api/${c.section}/${idOf(c.target)}/${c.action}`, { raw });
          expectRefused(response, `POST /api/${caseName(c)} (${kind}) ${raw.type} ${raw.body.slice(0, 200)}`, statuses);
        }),
        propertyOptions,
      );
    },
  );

  const badId = invalidBy((text: string) => ZIdSchema.safeParse(text).success, anySendableText);
  test('an id in the path that is not an id is refused (400 naming it, or the router’s 404/414)', async () => {
    const routes: [string, (id: string) => [string, string, TSend], string][] = [
      ['GET contract', (id) => ['GET', `/api/contracts/${id}`, {}], 'contractId'],
      ['GET partner', (id) => ['GET', `/api/partners/${id}`, {}], 'partnerId'],
      ['GET document', (id) => ['GET', `/api/contracts/${id}/documents/contract`, {}], 'contractId'],
      ['void', (id) => ['POST', `/api/contracts/${id}/void`, { json: { reason: 'program cancelled' } }], 'contractId'],
      ['approve', (id) => ['POST', `/api/contracts/${id}/approve`, { json: {} }], 'contractId'],
      ['resend', (id) => ['POST', `/api/contracts/${id}/resend`, { json: {} }], 'contractId'],
      ['terminate', (id) => ['POST', `/api/partners/${id}/terminate`, { json: { reason: 'students left unsupervised' } }], 'partnerId'],
      ['start-review', (id) => ['POST', `/api/partners/${id}/start-review`, { json: {} }], 'partnerId'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badId, async ([name, build, field], id) => {
        const [method, target, options] = build(enc(id));
        const response = await staffSend(method, target, options);
        const what = `${name}: ${method} ${target}`;
        expectRefused(response, what, [400, 404, 414]);
        if (response.status === 400) expectFieldProblem(response, what, field);
      }),
      { ...propertyOptions, numRuns: RUNS * 2 },
    );
  });

  test('a path that climbs out with ../ or carries a broken escape never reaches a handler', async () => {
    const climbs = fc.constantFrom(
      (k: TKnownWorkflows) => `/api/contracts/../partners/${k.certified}/terminate`,
      (k: TKnownWorkflows) => `/api/contracts/${k.awaiting}/../../partners/${k.certified}/terminate`,
      (k: TKnownWorkflows) => `/api/contracts/%2e%2e/partners/${k.certified}/terminate`,
      (k: TKnownWorkflows) => `/api/contracts/${k.awaiting}%2f..%2fvoid/void`,
      (k: TKnownWorkflows) => `/api/contracts/${k.awaiting}/%E0%A4%A`,
      (k: TKnownWorkflows) => `/api/contracts/%${k.awaiting}/void`,
      (k: TKnownWorkflows) => `/dashboard/contracts/..%2F..%2Fapi%2Fcontracts%2F${k.awaiting}/actions/void`,
      (k: TKnownWorkflows) => `/dashboard/partners/${k.certified}/actions/%ff`,
    );
    await fc.assert(
      fc.asyncProperty(climbs, async (build) => {
        const target = build(known);
        const response = await staffSend('POST', target, { json: { reason: 'program cancelled', consent: true } });
        expectRefused(response, `POST ${target}`);
      }),
      { ...propertyOptions, numRuns: 16 },
    );
  });

  test('an unknown action or document kind is refused with 400 naming it', async () => {
    const badAction = (allowed: readonly string[]) =>
      anySendableText.filter((text) => !allowed.includes(text) && text.length > 0 && !['.', '..'].includes(text));
    const cases = fc.oneof(
      badAction(CONTRACT_ACTIONS).map((action) => ({
        method: 'POST',
        target: `/api/contracts/${known.awaiting}/${enc(action)}`,
        field: 'action',
      })),
      badAction(PARTNER_ACTIONS).map((action) => ({
        method: 'POST',
        target: `/api/partners/${known.reviewing}/${enc(action)}`,
        field: 'action',
      })),
      badAction(['contract', 'executed']).map((kind) => ({
        method: 'GET',
        target: `/api/contracts/${known.live}/documents/${enc(kind)}`,
        field: 'kind',
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ method, target, field }) => {
        const response = await staffSend(method, target, method === 'POST' ? { json: { reason: 'program cancelled', consent: true } } : {});
        expectRefused(response, `${method} ${target}`, [400, 414]);
        if (response.status === 400) expectFieldProblem(response, `${method} ${target}`, field);
      }),
      propertyOptions,
    );
  });

  const QUERY_ROUTES: [string, z.ZodObject, Record<string, string>][] = [
    ['/api/board', ZBoardFilterSchema, { service: 'arts' }],
    ['/api/contracts', ZContractSearchSchema, { view: 'open', pageSize: '10' }],
    ['/api/partners', ZPartnerSearchSchema, { stage: 'certified' }],
    ['/api/directory', ZDirectorySearchSchema, { service: 'arts' }],
    ['/api/directory.csv', ZDirectorySearchSchema, { category: 'mental_health' }],
    ['/api/directory/distribution.csv', ZDirectorySearchSchema, { text: 'tutoring' }],
    ['/api/directory/schools/Lyndale', ZDirectorySearchSchema.omit({ school: true }), { service: 'arts' }],
  ];
  test.each(QUERY_ROUTES)('GET %s: a bad filter is refused with 400 naming it', async (route, schema, valid) => {
    const params = Object.keys(schema.shape);
    const corrupted = fc
      .tuple(fc.constantFrom(...params), formValue, extraFields)
      .filter(([field, value]) => !(schema.shape[field] as z.ZodType).safeParse(value).success)
      .map(([field, value, extra]) => {
        const noise = Object.fromEntries(
          Object.entries(extra)
            .filter(([key]) => !params.includes(key))
            .map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
        );
        return { field, params: { ...noise, ...valid, [field]: value } };
      });
    await fc.assert(
      fc.asyncProperty(corrupted, async ({ field, params: given }) => {
        const target = `${route}${query(given)}`;
        const response = await staffSend('GET', target);
        expectRefused(response, `GET ${target}`, [400]);
        expectFieldProblem(response, `GET ${target}`, field);
      }),
      propertyOptions,
    );
  });

  test('GET /api/directory/schools/:school and documents ?amendment=: a bad school or amendment is refused with 400 naming it', async () => {
    const badSchool = refusedBy(ZFilterTextSchema, anySendableText).filter((school) => school.length > 0 && !['.', '..'].includes(school));
    const badAmendment = refusedBy(z.coerce.number().int().positive(), anySendableText);
    const cases = fc.oneof(
      badSchool.map((school) => ({ target: `/api/directory/schools/${enc(school)}`, field: 'school' })),
      badAmendment.map((amendment) => ({
        target: `/api/contracts/${known.live}/documents/contract?amendment=${enc(amendment)}`,
        field: 'amendment',
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ target, field }) => {
        const response = await staffSend('GET', target);
        expectRefused(response, `GET ${target}`, [400, 414]);
        if (response.status === 400) expectFieldProblem(response, `GET ${target}`, field);
      }),
      propertyOptions,
    );
  });

  test('a page token that is not one of this list’s is refused at once (never a 5xx, never a long wait)', async () => {
    const tokenField = fc.constantFrom('StartTime', 'CloseTime', 'RunID', 'starttime', 'runId', 'LastCloseTime', 'x');
    const tokenValue = fc.oneof(
      anyJson,
      fc.constantFrom('2026-01-01T00:00:00Z', 'yesterday', '2026-02-30T00:00:00Z', '2026-01-01T00:00:00+0200', ''),
    );
    const jsonToken = fc
      .dictionary(tokenField, tokenValue, { minKeys: 1, maxKeys: 3 })
      .map((fields) => Buffer.from(JSON.stringify(fields)).toString('base64url'));
    const anyToken = fc.oneof(
      jsonToken,
      anySendableText.map((text) => Buffer.from(text).toString('base64url')),
      anySendableText,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/contracts', '/api/partners', '/dashboard/contracts', '/dashboard/partners'),
        anyToken,
        async (route, token) => {
          const started = Date.now();
          const target = `${route}?pageToken=${enc(token)}`;
          const response = await staffSend('GET', target);
          const what = `GET ${target}`;
          expect([what, Date.now() - started < 3_000]).toEqual([what, true]);
          if (response.status !== 200) {
            expectRefused(response, what, [400]);
            if (route.startsWith('/api/')) expectFieldProblem(response, what, 'pageToken');
            else expectPageNames(response, what, 'pageToken');
          }
        },
      ),
      { ...propertyOptions, numRuns: RUNS * 2 },
    );
  });

  test('unknown routes and methods are 404, never a 5xx', async () => {
    const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
    const paths = fc.oneof(
      anySendableText.map((text) => `/api/${enc(text)}/${enc(text)}/x/y`),
      anySendableText.map((text) => `/dashboard/${enc(text)}/x/y/z`),
      fc.constantFrom(
        '/api/contracts/x/y/z/w',
        '/sign',
        '/sign/',
        '/api/',
        '/dashboard/assets/../login',
        '/.env',
        '/api/contracts/x/documents',
        '/dashboard/contracts/x/actions',
      ),
    );
    await fc.assert(
      fc.asyncProperty(methods, paths, async (method, target) => {
        const response = await staffSend(
          method,
          target,
          method === 'GET' || method === 'OPTIONS' ? {} : { json: { reason: 'program cancelled' } },
        );
        expectRefused(response, `${method} ${target}`);
      }),
      propertyOptions,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Any text, and a genuine token with one character changed, cut short, or with text after it. */
/** Whether two `name=payload.signature` cookies carry the same payload and the same signature bytes. */
const signsTheSame = (one: string, other: string): boolean => {
  const [payloadA, signatureA] = one.split('.');
  const [payloadB, signatureB] = other.split('.');
  return (
    payloadA === payloadB &&
    signatureA !== undefined &&
    signatureB !== undefined &&
    Buffer.from(signatureA, 'base64url').equals(Buffer.from(signatureB, 'base64url'))
  );
};

const garbledTokens = (genuine: () => string) =>
  fc.oneof(
    anySendableText,
    fc.tuple(fc.nat(), fc.constantFrom(...'ABCxyz019-_.=+/% ')).map(([at, char]) => {
      const token = genuine();
      const i = at % token.length;
      return `${token.slice(0, i)}${char}${token.slice(i + 1)}`;
    }),
    fc.nat().map((cut) => genuine().slice(0, cut % genuine().length)),
    anySendableText.map((extra) => `${genuine()}${extra}`),
  );

type TTokenRefusedOn = (token: string, statuses: number[], what: string) => Promise<void>;

/** Garbled or made-up tokens, and `foreign` (a genuine token of another kind), are refused wherever `verify` refuses them. */
const refusesGarbledTokens = (refused: TTokenRefusedOn, genuine: () => string, foreign: () => string, verify: (token: string) => boolean) =>
  fc.assert(
    fc.asyncProperty(
      fc
        .oneof(garbledTokens(genuine), fc.constant(null).map(foreign))
        .filter((token) => token.length > 0 && !['.', '..'].includes(token) && !verify(token)),
      async (token) => refused(token, [400, 403, 404, 414], `token ${JSON.stringify(token)}`),
    ),
    propertyOptions,
  );

/** A partner's token the district issued that cannot be used: for a partner not on record, past its expiry, or `other`. */
const refusesUnusablePartnerTokens = <C extends { partnerId: string; expiresAt: number }>(
  refused: TTokenRefusedOn,
  claims: (overrides?: Partial<C>) => C,
  make: (claims: C) => string,
  other: fc.Arbitrary<{ why: string; claims: C; statuses: number[] }>,
) =>
  fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc
          .constant(null)
          .map(() => ({ why: 'unknown partner', claims: claims({ partnerId: uniqueId('nowhere') } as Partial<C>), statuses: [404] })),
        fc.integer({ min: 1, max: 10_000_000 }).map((ago) => ({
          why: 'expired',
          claims: claims({ expiresAt: Math.floor(Date.now() / 1000) - ago } as Partial<C>),
          statuses: [410],
        })),
        other,
      ),
      async ({ why, claims: given, statuses }) => refused(make(given), statuses, why),
    ),
    { ...propertyOptions, numRuns: 20 },
  );

describe('signing pages', () => {
  const inADay = () => Math.floor(Date.now() / 1000) + 86_400;
  const claims = (overrides: Partial<TSigningClaims> = {}): TSigningClaims => ({
    contractId: known.awaiting,
    role: 'partner',
    email: known.representativeOf(known.certified).email,
    requestNumber: 1,
    expiresAt: inADay(),
    ...overrides,
  });
  const signedWith = (payloadJson: string, secret = SECRET): string => {
    const payload = Buffer.from(payloadJson).toString('base64url');
    return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
  };
  const refusedOnSigningRoutes = refusedOnEveryRoute([
    (token) => ['GET', `/sign/${token}`, {}],
    (token) => ['GET', `/sign/${token}/document.pdf`, {}],
    (token) => ['POST', `/sign/${token}`, { form: { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' } }],
    (token) => ['POST', `/sign/${token}/decline`, { form: { reason: 'our funding ended' } }],
  ]);

  test('a garbled or made-up token is refused on every signing route (400, or 403 when only its signature is wrong)', async () => {
    const garbled = garbledTokens(() => createSigningToken(claims(), SECRET));
    await fc.assert(
      fc.asyncProperty(
        // The real check is the oracle: anything it accepts is a genuine token, not bad input.
        garbled.filter((token) => token.length > 0 && !['.', '..'].includes(token) && !verifySigningToken(token, SECRET, Date.now()).ok),
        async (token) => refusedOnSigningRoutes(token, [400, 403, 404, 414], `token ${JSON.stringify(token)}`),
      ),
      propertyOptions,
    );
  });

  test('a well-formed token signed with another secret is refused as forged (403)', async () => {
    const otherSecret = fc.string({ minLength: 32, maxLength: 64 }).filter((secret) => secret !== SECRET);
    await fc.assert(
      fc.asyncProperty(otherSecret, fc.constantFrom<TSigningClaims['role']>('partner', 'district'), async (secret, role) => {
        await refusedOnSigningRoutes(createSigningToken(claims({ role }), secret), [403], 'forged token');
      }),
      { ...propertyOptions, numRuns: 15 },
    );
  });

  test('a token with the district’s signature but damaged claims is refused as damaged (400)', async () => {
    await fc.assert(
      fc.asyncProperty(corruptOneField(ZSigningWireSchema, signingClaimsToWire(claims())), async ({ payload }) => {
        await refusedOnSigningRoutes(signedWith(JSON.stringify(payload)), [400], `claims ${JSON.stringify(payload)}`);
      }),
      { ...propertyOptions, numRuns: 20 },
    );
  });

  test('a genuine token that cannot be used now is refused with its reason (404, 409, 410)', async () => {
    const cases = fc.oneof(
      fc.constant(null).map(() => ({ why: 'unknown contract', claims: claims({ contractId: uniqueId('nowhere') }), statuses: [404] })),
      fc
        .integer({ min: 1, max: 10_000_000 })
        .map((ago) => ({ why: 'expired', claims: claims({ expiresAt: Math.floor(Date.now() / 1000) - ago }), statuses: [410] })),
      fc.integer({ min: 2, max: 1000 }).map((n) => ({ why: 'superseded', claims: claims({ requestNumber: n }), statuses: [410] })),
      fc.constant(null).map(() => ({ why: 'not awaited', claims: claims({ role: 'district', email: CPO_OFFICE.email }), statuses: [409] })),
      fc.constant(null).map(() => ({ why: 'already signed', claims: claims({ contractId: known.live }), statuses: [409] })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ why, claims: given, statuses }) => {
        await refusedOnSigningRoutes(signedWith(JSON.stringify(signingClaimsToWire(given))), statuses, why);
      }),
      { ...propertyOptions, numRuns: 20 },
    );
  });

  test('the sign form with a genuine token and one field wrong is refused with 400 naming it', async () => {
    const token = createSigningToken(claims(), SECRET);
    const valid = { consent: 'yes', name: 'Lan Nguyễn', title: 'Executive Director' };
    const asForm = corruptOneField(ZSignFormSchema, valid, formValue).map((c) => ({ ...c, form: true }));
    const asJson = corruptOneField(ZSignFormSchema, valid).map((c) => ({ ...c, payload: overJson(c.payload), form: false }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(asForm, asJson), async ({ path: field, payload, form }) => {
        fc.pre(!ZSignFormSchema.safeParse(payload).success);
        const response = await send('POST', `/sign/${token}`, form ? { form: payload as Record<string, unknown> } : { json: payload });
        const what = `POST /sign/<genuine> ${JSON.stringify(payload)}`;
        expectRefused(response, what, [400]);
        expectPageNames(response, what, `${field}:`);
      }),
      propertyOptions,
    );
  });

  test('the decline form with a genuine token and a bad reason is refused with 400 naming it', async () => {
    const token = createSigningToken(claims(), SECRET);
    await fc.assert(
      fc.asyncProperty(fc.oneof(refusedBy(ZReasonSchema, formValue), fc.constant(undefined)), fc.boolean(), async (reason, asJson) => {
        const body = reason === undefined ? {} : { reason };
        const response = await send('POST', `/sign/${token}/decline`, asJson ? { json: body } : { form: body });
        const what = `POST /sign/<genuine>/decline ${JSON.stringify(body)}`;
        expectRefused(response, what, [400]);
        expectPageNames(response, what, 'reason:');
      }),
      propertyOptions,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('approval pages', () => {
  const inADay = () => Math.floor(Date.now() / 1000) + 86_400;
  const claims = (overrides: Partial<TApprovalClaims> = {}): TApprovalClaims => ({
    contractId: known.approval,
    email: known.approverEmail,
    requestNumber: 1,
    expiresAt: inADay(),
    ...overrides,
  });
  const refusedOnApprovalRoutes = refusedOnEveryRoute([
    (token) => ['GET', `/approve/${token}`, {}],
    (token) => ['GET', `/approve/${token}/document.pdf`, {}],
    (token) => ['POST', `/approve/${token}`, { form: { confirm: 'yes' } }],
    (token) => ['POST', `/approve/${token}/send-back`, { form: { reason: 'the amount is wrong' } }],
  ]);

  test('a garbled, forged or signing token is refused on every approval route (400 damaged, 403 not issued for approvals)', async () => {
    const genuine = () => createApprovalToken(claims(), SECRET);
    const tokens = fc.oneof(
      anySendableText.filter(
        (token) => token.length > 0 && !['.', '..'].includes(token) && !verifyApprovalToken(token, SECRET, Date.now()).ok,
      ),
      fc
        .nat()
        .map((cut) => genuine().slice(0, cut % genuine().length))
        .filter((token) => token.length > 0 && token !== '.'),
      fc
        .string({ minLength: 32, maxLength: 64 })
        .filter((secret) => secret !== SECRET)
        .map((secret) => createApprovalToken(claims(), secret)),
      // A signing link's token made with the same secret is not an approval token.
      fc
        .constant(null)
        .map(() =>
          createSigningToken(
            { contractId: known.approval, role: 'partner', email: known.approverEmail, requestNumber: 1, expiresAt: inADay() },
            SECRET,
          ),
        ),
    );
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => refusedOnApprovalRoutes(token, [400, 403, 404, 414], `token ${JSON.stringify(token)}`)),
      propertyOptions,
    );
  });

  test('a genuine approval token that cannot be used is refused with its reason, and damaged claims as damaged', async () => {
    const cases = fc.oneof(
      fc.constant(null).map(() => ({
        why: 'unknown contract',
        token: createApprovalToken(claims({ contractId: uniqueId('nowhere') }), SECRET),
        statuses: [404],
      })),
      fc.integer({ min: 1, max: 10_000_000 }).map((ago) => ({
        why: 'expired',
        token: createApprovalToken(claims({ expiresAt: Math.floor(Date.now() / 1000) - ago }), SECRET),
        statuses: [410],
      })),
      fc
        .integer({ min: 2, max: 1000 })
        .map((n) => ({ why: 'superseded', token: createApprovalToken(claims({ requestNumber: n }), SECRET), statuses: [410] })),
      fc.constant(null).map(() => ({
        why: "another contract's",
        token: createApprovalToken(claims({ contractId: known.awaiting }), SECRET),
        statuses: [403],
      })),
      fc
        .constant(null)
        .map(() => ({ why: 'not the approver', token: createApprovalToken(claims({ email: CPO_OFFICE.email }), SECRET), statuses: [403] })),
      corruptOneField(ZApprovalWireSchema, approvalClaimsToWire(claims())).map(({ payload }) => {
        const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
        const key = createHmac('sha256', SECRET).update('cpo-token:approval').digest();
        return {
          why: `claims ${JSON.stringify(payload)}`,
          token: `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`,
          statuses: [400],
        };
      }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ why, token, statuses }) => refusedOnApprovalRoutes(token, statuses, why)),
      { ...propertyOptions, numRuns: 20 },
    );
  });

  test('the approve and send-back forms with a genuine token and a bad field are refused with 400 naming it', async () => {
    const token = createApprovalToken(claims(), SECRET);
    const cases = fc.oneof(
      fc
        .oneof(refusedBy(ZReasonSchema, formValue), fc.constant(undefined))
        .map((reason) => ({ target: `/approve/${token}/send-back`, body: reason === undefined ? {} : { reason }, field: 'reason:' })),
      fc
        .oneof(
          formValue.filter((value) => value !== 'yes'),
          fc.constant(undefined),
        )
        .map((confirm) => ({ target: `/approve/${token}`, body: confirm === undefined ? {} : { confirm }, field: 'confirm:' })),
    );
    await fc.assert(
      fc.asyncProperty(cases, fc.boolean(), async ({ target, body, field }, asJson) => {
        const response = await send('POST', target, asJson ? { json: body } : { form: body });
        const what = `POST ${target.replace(token, '<genuine>')} ${JSON.stringify(body)}`;
        expectRefused(response, what, [400]);
        expectPageNames(response, what, field);
      }),
      propertyOptions,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('staff pages and sign-in', () => {
  test.each(ACTION_CASES.filter((c) => Object.keys(c.form).length > 0).map((c) => [caseName(c), c] as const))(
    'POST /dashboard/%s form: one field wrong comes back as a 400 page naming it',
    async (_name, c) => {
      const id = idOf(c.target);
      await fc.assert(
        fc.asyncProperty(corruptOneField(c.schema, c.form, formValue), async ({ path: field, payload }) => {
          const response = await staffSend('POST', `/dashboard/${c.section}/${id}/actions/${c.action}`, {
            form: payload as Record<string, unknown>,
          });
          const what = `POST /dashboard/${caseName(c)} ${formBody(payload as Record<string, unknown>)}`;
          expectRefused(response, what, [400]);
          expectPageNames(response, what, field.split('.')[0]!);
        }),
        propertyOptions,
      );
    },
  );

  const PAGE_QUERIES: [string, z.ZodObject, Record<string, string>][] = [
    ['/dashboard', ZBoardFilterSchema, { service: 'arts' }],
    ['/dashboard/contracts', ZContractSearchSchema, { view: 'open' }],
    ['/dashboard/partners', ZPartnerSearchSchema, { stage: 'certified' }],
    ['/dashboard/directory', ZDirectorySearchSchema, { service: 'arts' }],
  ];
  /** The pages read an empty field as "any". */
  const withoutEmpty = (params: Record<string, unknown>) => Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ''));
  test.each(PAGE_QUERIES)('GET %s: a bad filter comes back as a 400 page naming it', async (route, schema, valid) => {
    const corrupted = fc
      .tuple(fc.constantFrom(...Object.keys(schema.shape)), formValue)
      .filter(([field, value]) => value !== '' && !(schema.shape[field] as z.ZodType).safeParse(value).success)
      .map(([field, value]) => ({ field, params: { ...valid, [field]: value } }))
      .filter(({ params }) => !schema.safeParse(withoutEmpty(params)).success);
    await fc.assert(
      fc.asyncProperty(corrupted, fc.boolean(), async ({ field, params }, fragment) => {
        const target = `${route}${query(params)}`;
        const response = await staffSend('GET', target, fragment ? { headers: { 'x-live-fragment': '1' } } : {});
        expectRefused(response, `GET ${target}`, [400]);
        expectPageNames(response, `GET ${target}`, field);
      }),
      propertyOptions,
    );
  });

  test('an id or school in a page path that is not one is refused with a 4xx page naming it', async () => {
    const badId = invalidBy((text: string) => ZIdSchema.safeParse(text).success, anySendableText).filter(
      (id) => id.length > 0 && !['.', '..'].includes(id),
    );
    const badSchool = refusedBy(ZFilterTextSchema, anySendableText).filter((school) => school.length > 0 && !['.', '..'].includes(school));
    const cases = fc.oneof(
      badId.map((id) => ({ method: 'GET', target: `/dashboard/contracts/${enc(id)}`, field: 'contractId', form: undefined })),
      badId.map((id) => ({ method: 'GET', target: `/dashboard/partners/${enc(id)}`, field: 'partnerId', form: undefined })),
      badId.map((id) => ({
        method: 'POST',
        target: `/dashboard/contracts/${enc(id)}/actions/void`,
        field: 'contractId',
        form: { reason: 'program cancelled' },
      })),
      badId.map((id) => ({
        method: 'POST',
        target: `/dashboard/partners/${enc(id)}/actions/terminate`,
        field: 'partnerId',
        form: { reason: 'students left unsupervised' },
      })),
      badSchool.map((school) => ({
        method: 'GET',
        target: `/dashboard/directory/schools/${enc(school)}`,
        field: 'school',
        form: undefined,
      })),
      anySendableText
        .filter((action) => action.length > 0 && !(CONTRACT_ACTIONS as readonly string[]).includes(action) && !['.', '..'].includes(action))
        .map((action) => ({
          method: 'POST',
          target: `/dashboard/contracts/${known.awaiting}/actions/${enc(action)}`,
          field: 'action',
          form: { reason: 'program cancelled' },
        })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ method, target, field, form }) => {
        const response = await staffSend(method, target, form ? { form } : {});
        expectRefused(response, `${method} ${target}`, [400, 404, 414]);
        if (response.status === 400) expectPageNames(response, `${method} ${target}`, field);
      }),
      { ...propertyOptions, numRuns: RUNS * 2 },
    );
  });

  test('a body the server cannot take (too large, another type, broken JSON) on a page is answered with a page, not JSON', async () => {
    const token = () =>
      createSigningToken(
        {
          contractId: known.awaiting,
          role: 'partner',
          email: known.representativeOf(known.certified).email,
          requestNumber: 1,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
        SECRET,
      );
    const attestationToken = () =>
      createAttestationToken(
        {
          partnerId: known.certified,
          schoolYear: '2026-2027',
          email: known.representativeOf(known.certified).email,
          requestNumber: 1,
          formHash: '0'.repeat(32),
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
        SECRET,
      );
    const routes = fc.constantFrom(
      () => ({ target: `/sign/${token()}`, staff: false }),
      () => ({ target: `/sign/${token()}/decline`, staff: false }),
      () => ({ target: `/attest/${attestationToken()}`, staff: false }),
      () => ({ target: `/dashboard/contracts/${known.awaiting}/actions/void`, staff: true }),
      () => ({ target: `/dashboard/partners/${known.certified}/actions/terminate`, staff: true }),
      () => ({ target: '/dashboard/login', staff: false }),
    );
    const bodies = fc.oneof(
      fc.integer({ min: 17_000, max: 40_000 }).map((size) => ({
        raw: { body: formBody({ reason: 'x'.repeat(size), name: 'Lan', consent: 'yes' }), type: 'application/x-www-form-urlencoded' },
        status: 413,
      })),
      fc
        .constantFrom('application/xml', 'image/png', 'multipart/form-data; boundary=x', 'text/csv')
        .map((type) => ({ raw: { body: 'reason=program+cancelled', type }, status: 415 })),
      fc
        .constantFrom('{"reason":', '{reason: 1}', "{'reason':'x'}", '[1,')
        .map((body) => ({ raw: { body, type: 'application/json' }, status: 400 })),
    );
    await fc.assert(
      fc.asyncProperty(routes, bodies, async (route, { raw, status }) => {
        const { target, staff } = route();
        const response = await send('POST', target, { raw, staff });
        const what = `POST ${target} (${raw.type}, ${raw.body.length} characters)`;
        expectRefused(response, what, [status]);
        expect([what, response.headers['content-type']]).toEqual([what, expect.stringMatching(/^text\/html/)]);
      }),
      propertyOptions,
    );
  });

  test('sign-in: a bad field is a 400 page naming it; wrong credentials are a 401', async () => {
    const valid = { username: STAFF.analyst.username, password: STAFF.analyst.password, next: '/dashboard/partners' };
    const badForm = fc
      .oneof(
        corruptOneField(ZLoginFormSchema, valid, formValue).map((c) => ({ ...c, asJson: false })),
        corruptOneField(ZLoginFormSchema, valid).map((c) => ({ ...c, payload: overJson(c.payload), asJson: true })),
      )
      .filter(({ payload }) => !ZLoginFormSchema.safeParse(payload).success)
      .map(({ path: field, payload, asJson }) => ({ field, payload, asJson, statuses: [400] }));
    const wrong = fc
      .record({ username: anySendableText, password: anySendableText })
      .filter(
        (form) =>
          ZLoginFormSchema.safeParse(form).success &&
          !Object.values(STAFF).some((s) => s.username === form.username.trim() && s.password === form.password),
      )
      .map((payload) => ({ field: '', payload, asJson: false, statuses: [401] }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(badForm, wrong), async ({ field, payload, asJson, statuses }) => {
        const response = await send('POST', '/dashboard/login', asJson ? { json: payload } : { form: payload as Record<string, unknown> });
        const what = `POST /dashboard/login ${JSON.stringify(payload)}`;
        expectRefused(response, what, statuses);
        expect(response.headers['set-cookie']).toBeUndefined();
        if (field) expectPageNames(response, what, `${field}:`);
      }),
      { ...propertyOptions, numRuns: 30 },
    );
  });

  /** Where sign-in may send a browser: a dashboard path, in plain URL characters. */
  const isSafeNext = (next: unknown): boolean =>
    typeof next === 'string' && /^\/dashboard(\/[^/\\]|$|\?)/.test(next) && /^[\x21-\x7e]+$/.test(next);
  const nextValue = fc.oneof(
    anySendableText,
    anySendableText.map((text) => `/dashboard/${text}`),
    anySendableText.map((text) => `/dashboard?${text}`),
    fc.constantFrom(
      '//evil.example',
      '/dashboard//evil.example',
      '/dashboard\\evil',
      'https://evil.example/dashboard',
      '/dashboard/x\r\nSet-Cookie: a=b',
      '/dashboardx',
      '/dashboard/😀',
      '/dashboard/é',
    ),
    fc.array(fc.constantFrom('/dashboard/a', 'b', '/dashboard'), { minLength: 2, maxLength: 2 }),
  );
  test('sign-in never sends the browser off the dashboard, whatever `next` says', async () => {
    await fc.assert(
      fc.asyncProperty(nextValue, fc.boolean(), async (next, post) => {
        if (!post) {
          const response = await send('GET', `/dashboard/login${query({ next })}`);
          const what = `GET /dashboard/login next=${JSON.stringify(next)}`;
          expect([what, response.status]).toEqual([what, 200]);
          const kept = /name="next" value="([^"]*)"/.exec(response.text)?.[1];
          expect([what, kept === '/dashboard' || (isSafeNext(next) && kept !== undefined)]).toEqual([what, true]);
          return;
        }
        const response = await send('POST', '/dashboard/login', {
          form: { username: STAFF.analyst.username, password: STAFF.analyst.password, next },
        });
        const what = `POST /dashboard/login next=${JSON.stringify(next)}`;
        if (Array.isArray(next)) {
          // Two values for one field is a bad form, refused before any sign-in.
          expectRefused(response, what, [400]);
          expectPageNames(response, what, 'next:');
          return;
        }
        expect([what, response.status]).toEqual([what, 303]);
        const location = String(response.headers.location);
        expect([what, isSafeNext(location)]).toEqual([what, true]);
        expect([what, location]).toEqual([what, isSafeNext(next) ? next : '/dashboard']);
      }),
      { ...propertyOptions, numRuns: 30 },
    );
  });

  test('garbled credentials never get in: the API answers 401, pages send to sign-in, and routes without input ignore garbage', async () => {
    const headerText = anySendableText.filter((text) => /^[\t\x20-\x7e]*$/.test(text));
    const credentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
      headerText.map((text) => ({ authorization: text })),
      headerText.map((text) => ({ authorization: `Basic ${text}` })),
      fc
        .tuple(headerText, headerText)
        .map(([user, password]) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` })),
      headerText.map((text) => ({ cookie: `cpo_staff=${text}` })),
      fc
        .nat()
        .map((cut) => ({ cookie: `${cookie.slice(0, 10 + (cut % (cookie.length - 10)))}x` }))
        // The signature's last base64url character carries 2 unused bits: "x" in place of "w", "y" or "z" is still genuine.
        .filter((garbled) => !signsTheSame(garbled.cookie, cookie)),
    );
    const routes = fc.constantFrom<[string, string, number]>(
      ['GET', '/api/board', 401],
      ['GET', '/api/contracts/x', 401],
      ['POST', '/api/contracts/x/void', 401],
      ['GET', '/dashboard', 303],
      ['GET', '/dashboard/contracts', 303],
      ['POST', '/dashboard/contracts/x/actions/void', 303],
    );
    await fc.assert(
      fc.asyncProperty(credentials, routes, async (headers, [method, target, status]) => {
        fc.pre(
          !Object.values(STAFF).some(
            (s) => headers.authorization === `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`,
          ),
        );
        const response = await send(method, target, { headers, ...(method === 'POST' ? { form: { reason: 'program cancelled' } } : {}) });
        const what = `${method} ${target} ${JSON.stringify(headers)}`;
        expect([what, response.status]).toEqual([what, status]);
        if (status === 303)
          expect([what, String(response.headers.location)]).toEqual([what, expect.stringMatching(/^\/dashboard\/login\?next=/)]);
        expect([what, HTML_INTERNALS.test(response.text)]).toEqual([what, false]);
      }),
      propertyOptions,
    );
    const noInput = fc.constantFrom<[string, string]>(
      ['GET', '/'],
      ['GET', '/favicon.ico'],
      ['GET', '/dashboard/assets/live.js'],
      ['POST', '/dashboard/logout'],
      ['GET', '/dashboard/schools'],
    );
    await fc.assert(
      fc.asyncProperty(
        noInput,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), anySendableText, { maxKeys: 3 }),
        async ([method, target], params) => {
          const response = await send(method, `${target}${query(params)}`, method === 'POST' ? { form: params } : {});
          const what = `${method} ${target}${query(params)}`;
          expect([what, response.status < 500]).toEqual([what, true]);
          expect([what, HTML_INTERNALS.test(response.text)]).toEqual([what, false]);
        },
      ),
      { ...propertyOptions, numRuns: 20 },
    );
  });

  test('identity-provider sign-in: whatever the callback is sent, it is refused with a 4xx page and no session; a provider that does not answer is "try again"', async () => {
    const callbackQuery = fc.dictionary(
      fc.constantFrom('code', 'state', 'error', 'iss', 'session_state', 'x'),
      fc.oneof(anySendableText, fc.array(anySendableText, { minLength: 2, maxLength: 2 })),
      { maxKeys: 4 },
    );
    const pendingCookie = fc.option(
      fc.oneof(
        anySendableText.filter((text) => /^[\x21-\x7e]*$/.test(text) && !text.includes(';')),
        fc.constant(cookie.split('=')[1]!),
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(callbackQuery, pendingCookie, async (params, pending) => {
        const response = await send(
          'GET',
          `/dashboard/oidc/callback${query(params)}`,
          pending === undefined ? {} : { headers: { cookie: `cpo_oidc=${pending}` } },
        );
        const what = `GET /dashboard/oidc/callback${query(params)} cookie=${JSON.stringify(pending)}`;
        expectRefused(response, what, [400, 403]);
        expect([what, String(response.headers['set-cookie'] ?? '')]).toEqual([what, expect.not.stringContaining('cpo_staff=')]);
      }),
      { ...propertyOptions, numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(nextValue, async (next) => {
        const response = await send('GET', `/dashboard/login/oidc${query({ next })}`);
        const what = `GET /dashboard/login/oidc next=${JSON.stringify(next)}`;
        expect([what, response.status, response.headers['retry-after']]).toEqual([what, 503, '60']);
        expect([what, response.text]).toEqual([what, expect.stringContaining('did not answer. Try again in a minute')]);
      }),
      { ...propertyOptions, numRuns: 5 },
    );
  });

  test('a cross-site POST is refused (403) even with a valid body', async () => {
    const origins = fc
      .oneof(
        fc.webUrl().map((url) => new URL(url).origin),
        anySendableText.filter((text) => /^[\x21-\x7e]+$/.test(text)),
        fc.constantFrom('null', 'http://127.0.0.1', `http://${host}.evil.example`),
      )
      .filter((origin) => {
        try {
          return new URL(origin).host !== host;
        } catch {
          return true;
        }
      });
    const posts = fc.constantFrom(
      () => ['/api/contracts', known.awaiting, 'void', { reason: 'program cancelled' }] as const,
      () => ['/api/partners', known.reviewing, 'reject', { reason: 'not a community partner' }] as const,
      () => ['/dashboard/contracts', known.live, 'actions/decline-renewal', { reason: 'another provider' }] as const,
      () => ['/dashboard/partners', known.certified, 'actions/terminate', { reason: 'students left unsupervised' }] as const,
    );
    await fc.assert(
      fc.asyncProperty(origins, posts, async (origin, build) => {
        const [section, id, action, body] = build();
        const target = `${section}/${id}/${action}`;
        const response = await staffSend('POST', target, {
          headers: { origin },
          ...(section.startsWith('/api') ? { json: body } : { form: body }),
        });
        expectRefused(response, `POST ${target} from ${origin}`, [403]);
      }),
      propertyOptions,
    );
  });
});

describe('attestation pages', () => {
  const claims = (overrides: Partial<TAttestationClaims> = {}): TAttestationClaims => ({
    partnerId: known.certified,
    schoolYear: '2026-2027',
    email: known.representativeOf(known.certified).email,
    requestNumber: 1,
    formHash: 'a'.repeat(32),
    expiresAt: Math.floor(Date.now() / 1000) + 86_400,
    ...overrides,
  });
  const refusedOnAttestationRoutes = refusedOnEveryRoute([
    (token) => ['GET', `/attest/${token}`, {}],
    (token) => ['GET', `/attest/${token}/document.pdf`, {}],
    (token) => ['POST', `/attest/${token}`, { form: { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' } }],
  ]);

  test('a garbled, made-up or foreign-key token is refused on every attestation route (400, 403)', async () => {
    await refusesGarbledTokens(
      refusedOnAttestationRoutes,
      () => createAttestationToken(claims(), SECRET),
      // A contract signing token is made with another key: never an attestation.
      () =>
        createSigningToken(
          { contractId: known.awaiting, role: 'partner', email: claims().email, requestNumber: 1, expiresAt: claims().expiresAt },
          SECRET,
        ),
      (token) => verifyAttestationToken(token, SECRET, Date.now()).ok,
    );
  });

  test('a genuine token that cannot be used is refused with its reason (404, 410)', async () => {
    await refusesUnusablePartnerTokens(
      refusedOnAttestationRoutes,
      claims,
      (given) => createAttestationToken(given, SECRET),
      fc
        .stringMatching(/^[0-9a-f]{32}$/)
        .map((formHash) => ({ why: 'a form not on record', claims: claims({ formHash }), statuses: [404] })),
    );
  });
});

describe('affirmation pages', () => {
  const claims = (overrides: Partial<TAgencyRecordClaims> = {}): TAgencyRecordClaims => ({
    partnerId: known.certified,
    kind: 'data_sharing_agreement',
    schoolYear: null,
    email: known.representativeOf(known.certified).email,
    requestNumber: 1,
    expiresAt: Math.floor(Date.now() / 1000) + 86_400,
    ...overrides,
  });
  const refusedOnAffirmationRoutes = refusedOnEveryRoute([
    (token) => ['GET', `/affirm/${token}`, {}],
    (token) => ['POST', `/affirm/${token}`, { form: { consent: 'yes', name: 'Lan Nguyễn', title: 'Director' } }],
  ]);

  test('a garbled, made-up or foreign-key token is refused on every affirmation route (400, 403)', async () => {
    await refusesGarbledTokens(
      refusedOnAffirmationRoutes,
      () => createAgencyRecordToken(claims(), SECRET),
      // An attestation token is made with another key: never an affirmation.
      () =>
        createAttestationToken(
          {
            partnerId: known.certified,
            schoolYear: '2026-2027',
            email: claims().email,
            requestNumber: 1,
            formHash: 'a'.repeat(32),
            expiresAt: claims().expiresAt,
          },
          SECRET,
        ),
      (token) => verifyAgencyRecordToken(token, SECRET, Date.now()).ok,
    );
  });

  test('a genuine token that cannot be used is refused with its reason (404, 410)', async () => {
    await refusesUnusablePartnerTokens(
      refusedOnAffirmationRoutes,
      claims,
      (given) => createAgencyRecordToken(given, SECRET),
      fc
        .constantFrom('background_check_affirmation', 'photo_video_consent_practice', 'data_sharing_agreement')
        .map((k) => ({ why: `${k} not asked for`, claims: claims({ kind: k, schoolYear: '2026-2027' }), statuses: [404] })),
    );
  });
});

describe('new contracts and program starts', () => {
  /** The contracts a valid request or form would start: only bad input is sent, so neither may exist after. */
  const NEW_FROM_API = 'property-new-from-api';
  const isObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);
  /** What POST /api/contracts accepts: the `cpo contract start` request, initiated by the signed-in person unless it says. */
  const startSchema = () =>
    z.preprocess(
      (body) => (isObject(body) ? { initiatedBy: { name: STAFF.director.name, email: STAFF.director.email }, ...body } : body),
      newContractRequestSchemaFor(context.policy, context.now()),
    );

  test('POST /api/contracts: a request with one field wrong is refused with 400 naming it, and nothing starts', async () => {
    const schema = startSchema();
    await fc.assert(
      fc.asyncProperty(
        corruptOneField(schema, overJson(contractRequest(NEW_FROM_API, known.certified))),
        async ({ path: field, payload }) => {
          const body = overJson(payload);
          const refused = schema.safeParse(body);
          fc.pre(!refused.success);
          const response = await staffSend('POST', '/api/contracts', { json: body });
          const what = `POST /api/contracts ${JSON.stringify(body)}`;
          expectRefused(response, what, [400]);
          // A field can be refused for another's sake (a start date after the end date is reported on endDate).
          const expected = fieldProblems(refused.error).map((problem) => problem.field);
          if (expected.some((reported) => sameField(reported, field))) expectFieldProblem(response, what, field);
          else expectFieldProblem(response, what, expected[0]!);
        },
      ),
      propertyOptions,
    );
    const notAnObject = refusedBy(startSchema(), anyJson).filter((value) => !isObject(value));
    await fc.assert(
      fc.asyncProperty(notAnObject, async (body) =>
        expectRefused(await staffSend('POST', '/api/contracts', { json: body }), `POST /api/contracts ${JSON.stringify(body)}`, [400]),
      ),
      propertyOptions,
    );
  });

  test('POST /api/contracts/:contractId/program-starts: a bad school or contract id is refused with 400 naming it', async () => {
    const schema = z.object({ school: ZNameSchema.optional() });
    const badBody = corruptOneField(schema, { school: 'Anwatin Middle' }).map(({ path: field, payload }) => ({
      field,
      id: known.live,
      body: overJson(payload),
    }));
    const badId = invalidBy((text: string) => ZIdSchema.safeParse(text).success, anySendableText)
      .filter((id) => id.length > 0 && !['.', '..'].includes(id))
      .map((id) => ({ field: 'contractId', id, body: { school: 'Anwatin Middle' } }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(badBody, badId), async ({ field, id, body }) => {
        const target = `/api/contracts/${enc(id)}/program-starts`;
        const response = await staffSend('POST', target, { json: body });
        const what = `POST ${target} ${JSON.stringify(body)}`;
        expectRefused(response, what, field === 'contractId' ? [400, 404, 414] : [400]);
        if (response.status === 400) expectFieldProblem(response, what, field);
      }),
      propertyOptions,
    );
  });

  test('GET /dashboard/new-contract: a route that is not one of the policy is a 400 page naming it', async () => {
    const routes = Object.keys(context.policy.routes);
    await fc.assert(
      fc.asyncProperty(
        formValue.filter((route) => !(typeof route === 'string' && routes.includes(route))),
        async (route) => {
          const target = `/dashboard/new-contract${query({ route })}`;
          const response = await staffSend('GET', target);
          expectRefused(response, `GET ${target}`, [400]);
          expectPageNames(response, `GET ${target}`, 'route:');
        },
      ),
      propertyOptions,
    );
  });

  test('POST /dashboard/new-contract: one field wrong comes back as a 400 page with the problem beside that field, and nothing starts', async () => {
    const term = contractRequest('x-x-x', known.certified);
    const valid: Record<string, string> = {
      route: 'afterschool_enrichment',
      contractId: 'property-new-from-form',
      partnerId: known.certified,
      programName: 'Robotics club',
      services: 'arts',
      schools: 'Anwatin Middle',
      category: 'contracted_partner',
      amount: '0',
      startDate: term.startDate,
      endDate: term.endDate,
      'partnerSigner.name': 'Lan Nguyễn',
      'partnerSigner.email': `lan@${known.certified}.example`,
    };
    const nonEmpty = anySendableText.filter((text) => text.trim() !== '');
    const bad: Record<string, fc.Arbitrary<string>> = {
      contractId: invalidBy((text: string) => ZIdSchema.safeParse(text.trim()).success, nonEmpty),
      partnerId: invalidBy((text: string) => ZIdSchema.safeParse(text.trim()).success, anySendableText),
      programName: refusedBy(ZNameSchema, anySendableText),
      services: anySendableText.filter((text) => text !== '' && !(SERVICE_TYPES as readonly string[]).includes(text)),
      schools: anySendableText.filter((text) => text !== '' && !context.policy.schools!.includes(text.trim())),
      category: nonEmpty.filter((text) => !(PARTNERSHIP_CATEGORIES as readonly string[]).includes(text.trim())),
      amount: nonEmpty.filter((text) => !/^\s*\d+(\.\d{1,2})?\s*$/.test(text)),
      startDate: refusedBy(ZDateSchema, anySendableText),
      'partnerSigner.email': invalidBy((text: string) => ZEmailSchema.safeParse(text.trim()).success, nonEmpty),
    };
    const corrupted = fc.oneof(
      ...Object.entries(bad).map(([field, values]) => values.map((value) => ({ field, form: { ...valid, [field]: value } }))),
    );
    await fc.assert(
      fc.asyncProperty(corrupted, async ({ field, form }) => {
        const response = await staffSend('POST', '/dashboard/new-contract', { form });
        const what = `POST /dashboard/new-contract ${formBody(form)}`;
        expectRefused(response, what, [400]);
        expectPageNames(response, what, `id="e-${field}"`);
      }),
      propertyOptions,
    );
    // Two values where one is expected: the form is refused naming the field.
    const doubled = fc
      .constantFrom('programName', 'partnerId', 'amount', 'route')
      .map((field) => ({ field, form: { ...valid, [field]: [valid[field]!, 'x'] } }));
    await fc.assert(
      fc.asyncProperty(doubled, async ({ field, form }) => {
        const response = await staffSend('POST', '/dashboard/new-contract', { form });
        expectRefused(response, `POST /dashboard/new-contract ${formBody(form)}`, [400]);
        expectPageNames(response, `POST /dashboard/new-contract ${formBody(form)}`, `${field}:`);
      }),
      { ...propertyOptions, numRuns: 8 },
    );
  });

  test('the per-school pages: a school or contract id that is not one is refused with a 4xx page naming it', async () => {
    const badSchool = refusedBy(ZNameSchema, anySendableText).filter((school) => school.length > 0 && !['.', '..'].includes(school));
    const badId = invalidBy((text: string) => ZIdSchema.safeParse(text).success, anySendableText);
    const cases = fc.oneof(
      badSchool.map((school) => ({
        method: 'GET',
        target: `/dashboard/schools/${enc(school)}`,
        field: 'school',
        form: undefined as Record<string, unknown> | undefined,
      })),
      badSchool.map((school) => ({
        method: 'POST',
        target: `/dashboard/schools/${enc(school)}/program-starts`,
        field: 'school',
        form: { contractId: known.live },
      })),
      badId.map((contractId) => ({
        method: 'POST',
        target: `/dashboard/schools/${enc('Anwatin Middle')}/program-starts`,
        field: 'contractId',
        form: { contractId },
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ method, target, field, form }) => {
        const response = await staffSend(method, target, form ? { form } : {});
        expectRefused(response, `${method} ${target} ${form ? formBody(form) : ''}`, [400, 404, 414]);
        if (response.status === 400) expectPageNames(response, `${method} ${target}`, field);
      }),
      propertyOptions,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

/** Every route the properties above send bad input to; a new route fails the check below until it is covered. */
const COVERED_ROUTES = [
  'GET /',
  'GET /favicon.ico',
  'GET /sign/:token',
  'POST /sign/:token',
  'GET /sign/:token/document.pdf',
  'POST /sign/:token/decline',
  'GET /approve/:token',
  'POST /approve/:token',
  'GET /approve/:token/document.pdf',
  'POST /approve/:token/send-back',
  'GET /attest/:token',
  'POST /attest/:token',
  'GET /attest/:token/document.pdf',
  'GET /affirm/:token',
  'POST /affirm/:token',
  'GET /api/board',
  'GET /api/contracts',
  'GET /api/contracts/:contractId',
  'GET /api/contracts/:contractId/documents/:kind',
  'POST /api/contracts/:contractId/:action',
  'GET /api/partners',
  'GET /api/partners/:partnerId',
  'POST /api/partners/:partnerId/:action',
  'GET /api/directory',
  'GET /api/directory.csv',
  'GET /api/directory/distribution.csv',
  'GET /api/directory/schools/:school',
  'GET /dashboard',
  'GET /dashboard/assets/live.js',
  'GET /dashboard/login',
  'POST /dashboard/login',
  'POST /dashboard/logout',
  'GET /dashboard/login/oidc',
  'GET /dashboard/oidc/callback',
  'GET /dashboard/contracts',
  'GET /dashboard/contracts/:contractId',
  'POST /dashboard/contracts/:contractId/actions/:action',
  'GET /dashboard/partners',
  'GET /dashboard/partners/:partnerId',
  'POST /dashboard/partners/:partnerId/actions/:action',
  'GET /dashboard/directory',
  'GET /dashboard/directory/schools/:school',
  'POST /api/contracts',
  'POST /api/contracts/:contractId/program-starts',
  'GET /dashboard/new-contract',
  'POST /dashboard/new-contract',
  'GET /dashboard/schools',
  'GET /dashboard/schools/:school',
  'POST /dashboard/schools/:school/program-starts',
];
const anyParam = (route: string) => route.replace(/:\w+/g, ':param');

test('every route the server declares is covered by the properties above', () => {
  expect(declaredRoutes(server.printRoutes({ commonPrefix: false })).map(anyParam)).toEqual(
    [...new Set(COVERED_ROUTES.map(anyParam))].sort(),
  );
});

test('nothing bad input was aimed at was created or changed', async () => {
  for (const id of ['next-year-reading', 'property-new-from-api', 'property-new-from-form'])
    await expect(getContractStatus(context, id)).rejects.toThrow(/No contract with id/);
});

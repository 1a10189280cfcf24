// Property-based bad input for the partner's front door (/apply, /apply/confirm/<token>, /partner, /partner/<token>)
// over real HTTP against a real Temporal server and a real SMTP server: a 4xx page that says what is wrong (beside
// the field on the form), never a 5xx or a stack trace; no workflow starts and no email leaves.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import { createFolderDocumentStore } from '../../activities/storage/document-store';
import type { TCpoContext } from '../../client/context';
import { parseWrittenInput } from '../../client/errors';
import { ZOnlineApplicationSchema } from '../../domain/schemas/online-application';
import { SmtpCatcher } from '../../scripts/smtp-catcher';
import { createApplyConfirmToken, verifyApplyConfirmToken } from '../../security/apply-confirm-token';
import { createPartnerStatusToken, verifyPartnerStatusToken } from '../../security/partner-status-token';
import { createServer } from '../../server/create-server';
import { applicationFromForm } from '../../server/partner-front/application-form';
import { anySendableText, leaksInternals } from '../helpers/bad-input';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { declaredRoutes, formBody, httpRequest, type THttpResponse } from '../helpers/http-client';
import { applicationForm } from '../helpers/online-application';
import { useTemporalTestEnvironment } from '../helpers/temporal';

const RUNS = 40;
const SECRET = 'property-test-partner-front-secret-0123456789';
const temporal = useTemporalTestEnvironment();
let context: TCpoContext;
let server: FastifyInstance;
let baseUrl: string;
let dataDir: string;
const catcher = new SmtpCatcher();

beforeAll(async () => {
  const worker = await fakeWorkerFor(temporal, 'front-property');
  temporal.runWorkerForFile(worker.worker);
  context = worker.context;
  dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-front-property-'));
  const smtpPort = await catcher.listen(0);
  server = await createServer({
    context,
    documents: createFolderDocumentStore(path.join(dataDir, 'documents')),
    signingSecret: SECRET,
    partnerFront: {
      mail: {
        mailer: nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort }),
        from: 'cpo@mpls.k12.mn.us',
        publicUrl: 'http://127.0.0.1',
      },
      applicationsPerHour: 1_000_000,
    },
  });
  baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  const listening = server;
  temporal.stopBeforeWorkers(() => listening.close());
}, 60_000);

afterAll(async () => {
  await catcher.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  // Nothing left the server and no partner started.
  expect(catcher.messages).toEqual([]);
  expect(await workflowsStartedHere()).toEqual([]);
});

/** Workflows on this file's own task queue: the Temporal server is shared with other test files. */
async function workflowsStartedHere(): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of context.client.workflow.list({ query: `TaskQueue = '${context.taskQueue}'` }))
    ids.push(execution.workflowId);
  return ids;
}

const post = (target: string, fields: Record<string, unknown>) =>
  httpRequest(baseUrl, {
    method: 'POST',
    path: target,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(fields),
  });
const describeResponse = (what: string, response: THttpResponse) => `${what}\n→ ${response.status}\n${response.text.slice(0, 400)}`;

function expectRefusedPage(response: THttpResponse, what: string, statuses: number[]): void {
  const context = describeResponse(what, response);
  expect([context, statuses.includes(response.status)]).toEqual([context, true]);
  expect([context, String(response.headers['content-type'])]).toEqual([context, expect.stringMatching(/^text\/html/)]);
  expect([context, leaksInternals(response.text.replace(/<[^>]*>/g, ' '))]).toEqual([context, false]);
}

const FIELDS = Object.keys(applicationForm('x', 'x@example.org')).filter((field) => field !== 'website');
const formValue = fc.oneof(
  { weight: 4, arbitrary: anySendableText },
  { weight: 1, arbitrary: fc.array(anySendableText, { minLength: 2, maxLength: 3 }) },
);
const accepted = (form: Record<string, unknown>): boolean => {
  try {
    parseWrittenInput(ZOnlineApplicationSchema, applicationFromForm(form as never));
    return true;
  } catch {
    return false;
  }
};

test('POST /apply with one field wrong or missing: 400, the form again with the problem beside that field', async () => {
  const valid = applicationForm('Lantern Arts', 'amina@lantern.example');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...FIELDS), fc.option(formValue, { nil: undefined }), async (field, value) => {
      const form: Record<string, unknown> = { ...valid, [field]: value };
      if (value === undefined) delete form[field];
      fc.pre(!accepted(form));
      const response = await post('/apply', form);
      const what = `POST /apply ${field}=${JSON.stringify(value)}`;
      expectRefusedPage(response, what, [400]);
      // Checkbox groups report under the group; text fields under their own id.
      const id = field.replace('.', '-');
      expect([what, response.text.includes(`id="${id}-error"`)]).toEqual([what, true]);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
});

test('POST /partner (send me my link) with a bad field: 400 naming it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('email', 'organizationName'), formValue, async (field, value) => {
      const form = { email: 'amina@lantern.example', organizationName: 'Lantern Arts', [field]: value };
      fc.pre(
        field === 'email'
          ? !/^\S+@\S+\.\S+$/.test(String(value).trim()) || Array.isArray(value)
          : Array.isArray(value) || !String(value).trim() || String(value).trim().length > 200,
      );
      const response = await post('/partner', form);
      const what = `POST /partner ${field}=${JSON.stringify(value)}`;
      expectRefusedPage(response, what, [400]);
      expect([what, response.text.includes(`${field}:`)]).toEqual([what, true]);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
});

const TOKEN_ROUTES = [
  (token: string) => ['GET', `/partner/${token}`] as const,
  (token: string) => ['GET', `/partner/${token}/contracts/some-contract/executed.pdf`] as const,
  (token: string) => ['GET', `/apply/confirm/${token}`] as const,
  (token: string) => ['POST', `/apply/confirm/${token}`] as const,
];

test('garbled, made-up or wrong-purpose tokens are refused on every token route (400, 403, 404 or 414)', async () => {
  const genuine = [
    createPartnerStatusToken('lantern-arts', 'amina@lantern.example', SECRET, Date.now()),
    createApplyConfirmToken('a'.repeat(64), 'amina@lantern.example', SECRET, Date.now()),
  ];
  const garbled = fc.oneof(
    anySendableText,
    fc.tuple(fc.constantFrom(...genuine), fc.nat(), fc.constantFrom(...'ABCxyz019-_.=+/% ')).map(([token, at, char]) => {
      const i = at % token.length;
      return `${token.slice(0, i)}${char}${token.slice(i + 1)}`;
    }),
    fc.tuple(fc.constantFrom(...genuine), fc.nat()).map(([token, cut]) => token.slice(0, cut % token.length)),
  );
  await fc.assert(
    fc.asyncProperty(
      garbled.filter(
        (token) =>
          token.length > 0 &&
          !['.', '..'].includes(token) &&
          !verifyPartnerStatusToken(token, SECRET, Date.now()).ok &&
          !verifyApplyConfirmToken(token, SECRET, Date.now()).ok,
      ),
      async (token) => {
        for (const route of TOKEN_ROUTES) {
          const [method, target] = route(encodeURIComponent(token));
          const response = await httpRequest(baseUrl, {
            method,
            path: target,
            ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } : {}),
          });
          expectRefusedPage(response, `${method} ${target}`, [400, 403, 404, 414]);
          expect(response.headers['referrer-policy']).toBe('no-referrer');
        }
      },
    ),
    { numRuns: RUNS, endOnFailure: true },
  );
});

/** The partner front door's routes, each covered above (GET /apply and GET /partner take no input). */
const COVERED_ROUTES = [
  'GET /apply',
  'POST /apply',
  'GET /apply/confirm/:token',
  'POST /apply/confirm/:token',
  'GET /partner',
  'POST /partner',
  'GET /partner/:token',
  'GET /partner/:token/contracts/:contractId/executed.pdf',
];

test('every partner front door route the server declares is covered by the properties above', () => {
  const declared = declaredRoutes(server.printRoutes({ commonPrefix: false })).filter((route) => /^\w+ \/(apply|partner)\b/.test(route));
  expect(declared).toEqual([...COVERED_ROUTES].sort());
});

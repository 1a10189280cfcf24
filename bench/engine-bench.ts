// Engine benchmark: on a real Temporal dev server (SQLite file, as `npm start`) with the worker as a child process,
// in one run: (a) the throughput of a trivial workflow, the engine's limit on this machine; (b) the throughput of full
// contract lifecycles with real PDFs and emails, in workflow tasks per second and as a ratio to (a); (c) the
// signature-to-executed latency; (d) PDF generation time; (e) worker memory at 1,000 and 10,000 open contracts. Each
// worker configuration given with --worker runs (a), (b)-(c) and (e) on its own task queues; (d) runs once.
//
//   npm run bench:engine -- [--trivial 2000] [--lifecycles 200] [--latency 100] [--open 1000,10000]
//                           [--worker default --worker cache=100] [--pdf 200]
//   npm run bench:engine -- --trivial 200 --lifecycles 20 --latency 10 --open 200 --pdf 50   # smoke run
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { generateContractPdf } from '../activities/generate-contract-pdf';
import { generateExecutedContractPdf } from '../activities/generate-executed-contract-pdf';
import type { TContractDocumentInput } from '../activities/pdf/render-contract-pdf';
import { describeDocument, sha256Hex } from '../activities/storage/document-store';
import { connectCpo, type TCpoContext } from '../client/context';
import { CpoRefusedError, CpoUnavailableError } from '../client/errors';
import { signContract, startContract } from '../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, signAttestation, startPartnerReview } from '../client/partners';
import { parseEnv } from '../config/env';
import { createSelfSignedP12 } from '../config/load-signing-credential';
import { loadPolicy } from '../config/load-policy';
import { resolveDistrictSigner } from '../domain/contract-rules';
import type { TPolicy } from '../domain/policy';
import type { TDocumentRef } from '../domain/schemas/common';
import { contractRequestSchemaFor, type TContractRequestInput, type TSignatureRecord, type TSigningEvent } from '../domain/schemas/contract';
import { checklistMeeting, type TPartnerApplicationInput } from '../domain/schemas/partner';
import { currentYearTerm } from '../domain/plan-term';
import { schoolYearOf } from '../domain/school-year';
import { CERTIFICATION_CRITERIA, contractWorkflowId, SERVICE_TYPES } from '../domain/vocabulary';
import { startDevServer } from '../scripts/dev-server';
import { readSigningCredential } from '../security/signing-credential';
import { freePort } from '../scripts/free-port';
import { findTemporalCli } from '../scripts/temporal-cli';
import { runBenchmark, type CleanupStack } from './lib/cleanup';
import { summarizeTaskQueue, within, type TRunSummary } from './lib/histories';
import { MailBox, mailKey, programNameFor } from './lib/mailbox';
import { CpuMeter, findPidByCommandLine, readCpuSeconds, readMachineCpu, busyShare, readMemory } from './lib/proc';
import {
  distribution,
  fixed,
  megabytes,
  nowMs,
  percent,
  pollUntil,
  runWithConcurrency,
  sleep,
  thousands,
  type TDistribution,
} from './lib/stats';
import type { TTunedWorkerOptions, TWorkerStatusReport } from './lib/worker-protocol';
import { startWorkerProcess, type TWorkerProcess } from './lib/worker-process';

const REPO_ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
/** Pinned: the lifecycles use its zero_dollar route, whose district signer is the CPO office. */
const POLICY_FILE = path.join(REPO_ROOT, 'policies', 'minneapolis.json');
const MAIL_FROM = 'Community Partnerships Office <cpo@mpls.k12.mn.us>';

/** The issue's goals. */
const GOALS = {
  /** (b) workflow tasks per second at least this share of (a)'s. */
  lifecycleTaskRatio: 0.5,
  /** (c) p99 of signature-to-executed under load, in ms. */
  signatureToExecutedP99Ms: 1000,
  /** (d) sealed (executed) PDF, in ms; checked against the in-process p95. */
  sealedPdfMs: 50,
  /** (e) worker RSS at this many open contracts, in bytes. */
  openContractsForMemoryGoal: 10_000,
  workerRssBytes: 500 * 1024 * 1024,
};

const PARTNER_SETUPS_IN_FLIGHT = 8;
const OPEN_STARTS_IN_FLIGHT = 32;
const OPEN_PARTNERS = 50;
/** Settled: nothing in flight and the worker under this share of one core, for this many seconds in a row. */
const SETTLE_IDLE_CPU_SHARE = 0.05;
const SETTLE_QUIET_SECONDS = 3;
const SETTLE_STALL_MS = 180_000;
const REVIEWER = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };
const CPO_STAFF = { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' };

// ---------------------------------------------------------------------------------------------------------------
// Options

interface TWorkerConfig {
  label: string;
  tuned: TTunedWorkerOptions;
}

interface TOptions {
  trivial: number;
  trivialInFlight: number;
  lifecycles: number;
  lifecycleInFlight: number;
  latency: number;
  partners: number;
  open: number[];
  openStage: 'prerequisites' | 'signature';
  pdf: number;
  workers: TWorkerConfig[];
  /** The dev server keeps its state in memory instead of a SQLite file (to see what the file costs). */
  inMemory: boolean;
}

const HELP = `npm run bench:engine -- [options]

  --trivial N              (a) trivial workflows started and awaited (default 2000; 0 skips)
  --trivial-in-flight N    trivial workflows in flight (default 50)
  --lifecycles N           (b) contract lifecycles, start to live, measured for throughput (default 200; 0 skips)
  --lifecycle-in-flight N  lifecycles in flight (default 32)
  --latency N              (c) lifecycles run one at a time after (b), for latency without load (default 100; 0 skips)
  --partners N             certified partners the lifecycles are spread over (default 20)
  --open N[,N...]          (e) open contracts, ascending levels on one worker (default 1000,10000; 0 skips)
  --open-stage S           where open contracts wait: prerequisites (default) or signature
  --pdf N                  (d) in-process iterations of each PDF after 20 warm-ups, with Latin and with non-Latin names (default 200; 0 skips)
  --in-memory              the dev server keeps its state in memory, not in a SQLite file as npm start does
  --worker SPEC            a worker configuration, repeatable (default: --worker default --worker cache=100).
                           SPEC is "default" or comma-separated key=value: cache (maxCachedWorkflows),
                           wft (maxConcurrentWorkflowTaskExecutions), act (maxConcurrentActivityTaskExecutions),
                           wftPolls, actPolls, reuse (reuseV8Context: true|false), threads (workflowThreadPoolSize)

Smoke run: npm run bench:engine -- --trivial 200 --lifecycles 20 --latency 10 --open 200 --pdf 50`;

const WORKER_KEYS: Record<string, keyof TTunedWorkerOptions> = {
  cache: 'maxCachedWorkflows',
  wft: 'maxConcurrentWorkflowTaskExecutions',
  act: 'maxConcurrentActivityTaskExecutions',
  wftpolls: 'maxConcurrentWorkflowTaskPolls',
  actpolls: 'maxConcurrentActivityTaskPolls',
  reuse: 'reuseV8Context',
  threads: 'workflowThreadPoolSize',
  maxcachedworkflows: 'maxCachedWorkflows',
  maxconcurrentworkflowtaskexecutions: 'maxConcurrentWorkflowTaskExecutions',
  maxconcurrentactivitytaskexecutions: 'maxConcurrentActivityTaskExecutions',
  maxconcurrentworkflowtaskpolls: 'maxConcurrentWorkflowTaskPolls',
  maxconcurrentactivitytaskpolls: 'maxConcurrentActivityTaskPolls',
  reusev8context: 'reuseV8Context',
  workflowthreadpoolsize: 'workflowThreadPoolSize',
};

function parseWorkerSpec(spec: string): TWorkerConfig {
  const text = spec.trim();
  if (text === '' || text === 'default') return { label: 'default', tuned: {} };
  const tuned: Record<string, number | boolean> = {};
  for (const pair of text.split(',')) {
    const [rawKey, rawValue] = pair.split('=').map((part) => part.trim());
    const key = WORKER_KEYS[(rawKey ?? '').toLowerCase()];
    if (!key || rawValue === undefined) throw new Error(`--worker ${spec}: "${pair}" is not key=value with a key of ${Object.keys(WORKER_KEYS).slice(0, 7).join(', ')}`);
    if (key === 'reuseV8Context') {
      if (rawValue !== 'true' && rawValue !== 'false') throw new Error(`--worker ${spec}: reuse must be true or false`);
      tuned[key] = rawValue === 'true';
    } else {
      const value = Number(rawValue.replace(/_/g, ''));
      if (!Number.isInteger(value) || value < 0) throw new Error(`--worker ${spec}: ${rawKey} must be a whole number`);
      tuned[key] = value;
    }
  }
  return { label: text, tuned: tuned as TTunedWorkerOptions };
}

function parseOptions(argv: string[]): TOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      trivial: { type: 'string', default: '2000' },
      'trivial-in-flight': { type: 'string', default: '50' },
      lifecycles: { type: 'string', default: '200' },
      'lifecycle-in-flight': { type: 'string', default: '32' },
      latency: { type: 'string', default: '100' },
      partners: { type: 'string', default: '20' },
      open: { type: 'string', multiple: true },
      'open-stage': { type: 'string', default: 'prerequisites' },
      pdf: { type: 'string', default: '200' },
      worker: { type: 'string', multiple: true },
      'in-memory': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const count = (flag: string, text: string, min = 0): number => {
    const value = Number(text.replace(/[_,]/g, ''));
    if (!Number.isInteger(value) || value < min) throw new Error(`--${flag} ${text}: must be a whole number of at least ${min}`);
    return value;
  };
  const open = (values.open ?? ['1000,10000'])
    .flatMap((item) => item.split(/[\s,]+/).filter(Boolean))
    .map((item) => count('open', item))
    .filter((level) => level > 0);
  const openStage = values['open-stage'];
  if (openStage !== 'prerequisites' && openStage !== 'signature') throw new Error(`--open-stage ${openStage}: must be prerequisites or signature`);
  const workers = (values.worker ?? ['default', 'cache=100']).map(parseWorkerSpec);
  if (new Set(workers.map((w) => w.label)).size !== workers.length) throw new Error('--worker: the same configuration is given twice');
  return {
    trivial: count('trivial', values.trivial!),
    trivialInFlight: count('trivial-in-flight', values['trivial-in-flight']!, 1),
    lifecycles: count('lifecycles', values.lifecycles!),
    lifecycleInFlight: count('lifecycle-in-flight', values['lifecycle-in-flight']!, 1),
    latency: count('latency', values.latency!),
    partners: count('partners', values.partners!, 1),
    open: [...new Set(open)].sort((a, b) => a - b),
    openStage,
    pdf: count('pdf', values.pdf!),
    workers,
    inMemory: values['in-memory'] === true,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The system under test

interface TBench {
  dataDir: string;
  client: TCpoContext['client'];
  policy: TPolicy;
  mail: MailBox;
  /** Environment of every worker child but the task queue. */
  workerEnv: NodeJS.ProcessEnv;
  serverPid: number | null;
  cleanup: CleanupStack;
  /** Distinguishes the ids of each configuration's workflows on the shared server. */
  runId: string;
}


async function startSystem(cleanup: CleanupStack, inMemory: boolean): Promise<TBench> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-engine-bench-'));
  cleanup.add('the temporary data folder', () => rm(dataDir, { recursive: true, force: true }));
  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or run `npm run setup`');
  const dbFilename = path.join(dataDir, 'temporal.sqlite');
  const port = await freePort();
  const devServer = await startDevServer({ cliPath: cli.path, port, ...(inMemory ? {} : { dbFilename }) });
  cleanup.add('the Temporal dev server', () => devServer.stop());

  const mail = new MailBox();
  const smtpPort = await mail.catcher.listen(0);
  cleanup.add('the SMTP catcher', () => mail.catcher.close());

  const workerEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: devServer.address,
    TEMPORAL_NAMESPACE: 'default',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAIL_FROM,
    CPO_DATA_DIR: dataDir,
    // Documents in the data folder, whatever the calling shell says (ignored where the variable does not exist).
    CPO_DOCUMENT_STORE: 'folder',
    CPO_MODE: 'embedded',
    CPO_SIGNING_SECRET: randomBytes(32).toString('base64url'),
    CPO_POLICY_FILE: POLICY_FILE,
  };
  const cpo = connectCpo(parseEnv({ ...workerEnv, TEMPORAL_TASK_QUEUE: 'bench-engine-client' }));
  cleanup.add('the Temporal client', () => cpo.close());
  const serverPid = findPidByCommandLine(inMemory ? `--port\0${port}\0` : dbFilename);
  console.log(`Temporal ${devServer.address} (${inMemory ? 'state in memory' : `SQLite in ${dataDir}`}, pid ${serverPid ?? 'unknown'}), SMTP 127.0.0.1:${smtpPort}`);
  return { dataDir, client: cpo.context.client, policy: cpo.context.policy, mail, workerEnv, serverPid, cleanup, runId: randomUUID().slice(0, 6) };
}

async function startWorker(bench: TBench, mode: 'cpo' | 'trivial', config: TWorkerConfig, taskQueue: string): Promise<TWorkerProcess> {
  const started = nowMs();
  const worker = await startWorkerProcess({ mode, tuned: config.tuned, env: { ...bench.workerEnv, TEMPORAL_TASK_QUEUE: taskQueue }, label: config.label });
  bench.cleanup.add(`worker ${worker.pid}`, () => worker.stop());
  console.log(`  ${mode} worker pid ${worker.pid} polling ${taskQueue} after ${fixed((nowMs() - started) / 1000)} s`);
  return worker;
}

const stopWorker = (bench: TBench, worker: TWorkerProcess) => bench.cleanup.runNamed(`worker ${worker.pid}`);

// ---------------------------------------------------------------------------------------------------------------
// Data

const SCHOOLS = ['Anwatin Middle', 'Folwell Middle', 'Bancroft Elementary', 'Green Central', 'North High', 'Sanford Middle', 'Whittier International', 'Lyndale Elementary'];
const ORGANIZATIONS = ['Hội Người Việt Tutoring', 'Ururka Haweenka Soomaaliyeed', 'Phillips Youth Collective', 'Centro Arts Alliance', 'Lake Street Chess Club'];
const PEOPLE = ['Lan Nguyễn', 'Amina Hassan', 'Carlos Ramírez', 'Mai Vang', 'Winona Redwing'];

function partnerApplications(prefix: string, count: number): TPartnerApplicationInput[] {
  return Array.from({ length: count }, (_, index) => {
    const partnerId = `${prefix}-${String(index + 1).padStart(3, '0')}`;
    return {
      partnerId,
      organizationName: `${ORGANIZATIONS[index % ORGANIZATIONS.length]} ${index + 1}`,
      representative: { name: PEOPLE[index % PEOPLE.length]!, title: 'Executive Director', email: `rep@${partnerId}.example` },
      services: [SERVICE_TYPES[index % SERVICE_TYPES.length]!],
    };
  });
}

/** Applies every partner; certified ones are reviewed, certified and sign their attestation (as fixtures' readyPartner). */
async function registerPartners(context: TCpoContext, applications: TPartnerApplicationInput[], certified: boolean): Promise<void> {
  await runWithConcurrency(applications, PARTNER_SETUPS_IN_FLIGHT, async (application) => {
    await applyPartner(context, application);
    if (!certified) return;
    const { partnerId, representative } = application;
    await startPartnerReview(context, partnerId, { reviewer: REVIEWER });
    await certifyPartner(context, partnerId, { reviewer: REVIEWER, checklist: checklistMeeting(CERTIFICATION_CRITERIA) });
    await pollUntil(`attestation form of ${partnerId}`, async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await signAttestation(context, partnerId, { ...representative, consent: true });
  });
}


/** The whole current school year: go-live is already past, so an executed contract goes live at once, on any day. */
function contractDates(policy: TPolicy): { startDate: string; endDate: string } {
  const { startDate, endDate } = currentYearTerm(Date.now(), policy);
  return { startDate, endDate };
}

function contractRequest(contractId: string, partner: TPartnerApplicationInput, dates: { startDate: string; endDate: string }, index: number): TContractRequestInput {
  return {
    contractId,
    partnerId: partner.partnerId,
    programName: programNameFor('Reading circles', contractId),
    services: [partner.services[0]!],
    schools: [SCHOOLS[index % SCHOOLS.length]!, SCHOOLS[(index + 3) % SCHOOLS.length]!],
    route: 'zero_dollar',
    category: 'contracted_partner',
    amountCents: 0,
    ...dates,
    initiatedBy: CPO_STAFF,
    partnerSigner: { ...partner.representative },
  };
}

const contractIdOf = (prefix: string, index: number): string => `${prefix}-${String(index + 1).padStart(6, '0')}`;

// ---------------------------------------------------------------------------------------------------------------
// (d) PDF generation, in process

interface TPdfResult {
  iterations: number;
  contractPdf: TDistribution;
  sealedPdf: TDistribution;
  contractBytes: number;
  contractPages: number;
  sealedBytes: number;
  sealedPages: number;
}

type TDocumentStore = Parameters<typeof generateContractPdf>[0]['documents'];

/** The activities' document store kept in memory, hashing as the folder store does, so only the PDF work is timed. */
function memoryDocumentStore(): TDocumentStore & { bytesOf(id: string): Uint8Array } {
  const files = new Map<string, Uint8Array>();
  return {
    async put(bytes, meta) {
      const ref = describeDocument(bytes, meta);
      files.set(ref.id, bytes);
      return ref;
    },
    async get({ id, sha256: expected }) {
      const bytes = files.get(id);
      if (!bytes || sha256Hex(bytes) !== expected) throw new Error(`No document ${id} with that SHA-256`);
      return bytes;
    },
    bytesOf: (id) => files.get(id)!,
  };
}

/** The non-Latin case: Ge'ez, Arabic and Chinese names, so the fallback faces (CJK the largest) are embedded. */
const NON_LATIN_NAMES = { organizationName: 'የኢትዮጵያ ማህበረሰብ ማዕከል الجمعية 华人社区服务中心', representativeName: 'ሰላም ገብረ 王小明' };

async function measurePdfs(policy: TPolicy, iterations: number, names?: typeof NON_LATIN_NAMES): Promise<TPdfResult> {
  const warmUps = 20;
  const documents = memoryDocumentStore();
  const generateContract = generateContractPdf({ documents, timeZone: policy.timeZone });
  // Sealed and signed, as the worker does it, with a district certificate like the embedded default's.
  const districtSeal = { district: policy.district, credential: readSigningCredential(createSelfSignedP12(policy.district), '') };
  const generateExecuted = generateExecutedContractPdf({ documents, timeZone: policy.timeZone, districtSeal });
  const latin = partnerApplications('pdf-partner', 1)[0]!;
  const partner = names
    ? { ...latin, organizationName: names.organizationName, representative: { ...latin.representative, name: names.representativeName } }
    : latin;
  const request = contractRequestSchemaFor(policy).parse(contractRequest('pdf-000001', partner, contractDates(policy), 0));
  const route = policy.routes[request.route]!;
  const districtSigner = resolveDistrictSigner(policy, request);
  const documentInput = (generatedAt: string): TContractDocumentInput => ({
    request,
    organizationName: partner.organizationName,
    routeLabel: route.label,
    district: policy.district,
    districtSigner,
    documentTitle: route.documentTitle,
    schoolYear: schoolYearOf(request.startDate, policy.schoolYear, policy.timeZone).name,
    generatedAt,
  });
  const sealedInput = (contractDocument: TDocumentRef, generatedAt: string) => {
    const at = (minutes: number) => new Date(Date.parse(generatedAt) - minutes * 60_000).toISOString();
    const base = { documentSha256: contractDocument.sha256 };
    const signatures: TSignatureRecord[] = [
      { ...base, role: 'partner', ...partner.representative, signedAt: at(30), method: 'link', ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0', requestNumber: 1 },
      { ...base, role: 'district', name: districtSigner.name, email: districtSigner.email, signedAt: at(1), method: 'cli', requestNumber: 2 },
    ];
    const partnerEvent = { ...base, role: 'partner' as const, name: partner.representative.name, email: partner.representative.email, requestNumber: 1 };
    const districtEvent = { ...base, role: 'district' as const, name: districtSigner.name, email: districtSigner.email, requestNumber: 2 };
    const events: TSigningEvent[] = [
      { ...partnerEvent, at: at(60), type: 'sent' },
      { ...partnerEvent, at: at(35), type: 'viewed', ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0' },
      { ...partnerEvent, at: at(30), type: 'signed', detail: 'by link', ipAddress: '203.0.113.7' },
      { ...districtEvent, at: at(29), type: 'sent' },
      { ...districtEvent, at: at(1), type: 'signed', detail: 'by cli' },
    ];
    return { contractDocument, contractId: request.contractId, signatures, events, generatedAt };
  };

  const contractMs: number[] = [];
  const sealedMs: number[] = [];
  let contract: TDocumentRef | undefined;
  let sealed: TDocumentRef | undefined;
  for (let i = 0; i < warmUps + iterations; i++) {
    const generatedAt = new Date(Date.now() + i * 1000).toISOString(); // different bytes each time, as in production
    let started = performance.now();
    contract = await generateContract(documentInput(generatedAt));
    const contractTook = performance.now() - started;
    started = performance.now();
    sealed = await generateExecuted(sealedInput(contract, generatedAt));
    const sealedTook = performance.now() - started;
    if (i >= warmUps) {
      contractMs.push(contractTook);
      sealedMs.push(sealedTook);
    }
  }
  const pagesOf = async (ref: TDocumentRef) => (await PDFDocument.load(documents.bytesOf(ref.id))).getPageCount();
  return {
    iterations,
    contractPdf: distribution(contractMs)!,
    sealedPdf: distribution(sealedMs)!,
    contractBytes: contract!.size,
    contractPages: await pagesOf(contract!),
    sealedBytes: sealed!.size,
    sealedPages: await pagesOf(sealed!),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// (a) Trivial workflows

interface TCpuFigures {
  /** CPU seconds during the measured window: the worker child, the Temporal server, this process (client + SMTP). */
  workerSeconds: number | null;
  serverSeconds: number | null;
  benchSeconds: number | null;
  /** Share of all the machine's CPUs busy meanwhile, whoever used them. */
  machineBusy: number | null;
}

function cpuFigures(meter: CpuMeter): TCpuFigures {
  const { seconds, machineBusy } = meter.read();
  return { workerSeconds: seconds.worker ?? null, serverSeconds: seconds.server ?? null, benchSeconds: seconds.bench ?? null, machineBusy };
}

interface TTrivialResult {
  taskQueue: string;
  workflows: number;
  inFlight: number;
  warmUp: number;
  seconds: number;
  workflowsPerSecond: number;
  /** WorkflowTaskCompleted events per trivial workflow, counted in `historiesChecked` histories (all must agree). */
  tasksPerWorkflow: number;
  historiesChecked: number;
  workflowTasksPerSecond: number;
  /** Client side: start to result of each workflow (client.workflow.execute). */
  startToResult: TDistribution;
  cpu: TCpuFigures;
  workerCpuMsPerTask: number | null;
}

async function trivialPhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TTrivialResult | null> {
  if (options.trivial === 0) return null;
  console.log(`\n(a) Trivial workflows, worker "${config.label}": ${thousands(options.trivial)} with ${options.trivialInFlight} in flight`);
  const taskQueue = `bench-engine-${bench.runId}-${k}-trivial`;
  const worker = await startWorker(bench, 'trivial', config, taskQueue);
  const execute = async (prefix: string, count: number): Promise<number[]> => {
    const durations: number[] = [];
    await runWithConcurrency(
      Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`),
      options.trivialInFlight,
      async (workflowId) => {
        const started = performance.now();
        await bench.client.workflow.execute('trivialWorkflow', { taskQueue, workflowId, args: [] });
        durations.push(performance.now() - started);
      },
    );
    return durations;
  };
  const prefix = `trivial-${bench.runId}-${k}`;
  const warmUp = Math.min(100, Math.max(10, Math.ceil(options.trivial / 20)));
  await Promise.race([execute(`${prefix}-warm`, warmUp), worker.crashed]);

  const meter = new CpuMeter({ worker: worker.pid, server: bench.serverPid });
  const started = nowMs();
  const durations = await Promise.race([execute(`${prefix}-m`, options.trivial), worker.crashed]);
  const seconds = (nowMs() - started) / 1000;
  const cpu = cpuFigures(meter);

  // A trivial workflow should take exactly one workflow task; count it in a spread of histories rather than assume it.
  const sample = Array.from({ length: Math.min(20, options.trivial) }, (_, i) => `${prefix}-m-${1 + Math.floor((i * options.trivial) / Math.min(20, options.trivial))}`);
  const counts = await Promise.all(
    sample.map(async (workflowId) => ((await bench.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes).length),
  );
  const tasksPerWorkflow = counts.reduce((sum, n) => sum + n, 0) / counts.length;
  if (new Set(counts).size !== 1) console.warn(`  Warning: trivial workflows took different numbers of workflow tasks: ${counts.join(', ')}`);
  await stopWorker(bench, worker);

  const tasks = tasksPerWorkflow * options.trivial;
  const result: TTrivialResult = {
    taskQueue,
    workflows: options.trivial,
    inFlight: options.trivialInFlight,
    warmUp,
    seconds,
    workflowsPerSecond: options.trivial / seconds,
    tasksPerWorkflow,
    historiesChecked: counts.length,
    workflowTasksPerSecond: tasks / seconds,
    startToResult: distribution(durations)!,
    cpu,
    workerCpuMsPerTask: cpu.workerSeconds === null ? null : (cpu.workerSeconds * 1000) / tasks,
  };
  console.log(
    `  ${fixed(result.workflowsPerSecond)} workflows/s, ${fixed(result.workflowTasksPerSecond)} workflow tasks/s ` +
      `(${tasksPerWorkflow} task each, checked in ${counts.length} histories); start-to-result median ${fixed(result.startToResult.medianMs)} ms`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// (b) and (c) Contract lifecycles

/** Client-side times (epoch ms) of one lifecycle's steps. */
interface TLifecycleTiming {
  contractId: string;
  startCallMs: number;
  startedMs: number;
  partnerAskedMs: number;
  partnerSignedMs: number;
  districtAskedMs: number;
  countersignCallMs: number;
  countersignedMs: number;
  executedMailMs: number;
  liveMailMs: number;
}

/**
 * One contract from start to live, driven as people would: start it; when the partner's signature request email
 * arrives, the partner signs; when the countersignature request arrives, the district signs; then the "Contract
 * executed" and "Program may start" emails arrive. Each signer is the one the request went to.
 */
async function driveLifecycle(context: TCpoContext, mail: MailBox, request: TContractRequestInput, district: { name: string; email: string }): Promise<TLifecycleTiming> {
  const id = request.contractId;
  const startCallMs = nowMs();
  await startContract(context, request);
  const startedMs = nowMs();
  const partnerAskedMs = await mail.waitFor(mailKey(id, 'signature_request', 1));
  await signContract(context, id, { role: 'partner', name: request.partnerSigner.name, email: request.partnerSigner.email, consent: true, method: 'cli' });
  const partnerSignedMs = nowMs();
  const districtAskedMs = await mail.waitFor(mailKey(id, 'signature_request', 2));
  const countersignCallMs = nowMs();
  await signContract(context, id, { role: 'district', name: district.name, email: district.email, consent: true, method: 'cli' });
  const countersignedMs = nowMs();
  const executedMailMs = await mail.waitFor(mailKey(id, 'contract_executed'));
  const liveMailMs = await mail.waitFor(mailKey(id, 'contract_live'));
  return { contractId: id, startCallMs, startedMs, partnerAskedMs, partnerSignedMs, districtAskedMs, countersignCallMs, countersignedMs, executedMailMs, liveMailMs };
}

interface TLifecycleFigures {
  lifecycles: number;
  inFlight: number;
  /** From the first start call to the last "Program may start" email. */
  seconds: number;
  lifecyclesPerSecond: number;
  /** WorkflowTaskCompleted events in the window, over every workflow on the task queue (contracts and partners). */
  workflowTasks: number;
  workflowTasksPerSecond: number;
  tasksPerLifecycle: number;
  /** Workflow tasks scheduled on the normal queue after a run's first (cache misses: full-history replays). */
  replays: number;
  failedWorkflowTasks: number;
  /** History: district countersignature UpdateAccepted to the event that sets CpoStage=executed (server clock). */
  signatureToExecuted: TDistribution | null;
  /** Client: the countersign call returned to the "Contract executed" email caught by the SMTP catcher. */
  countersignToExecutedEmail: TDistribution | null;
  /** Client: start call to the "Program may start" email. */
  lifecycleDuration: TDistribution | null;
  /** History: activity started to completed, in the window. */
  activities: { contractPdf: TDistribution | null; sealedPdf: TDistribution | null; email: TDistribution | null };
  /** History: sealed-PDF activity scheduled to started (waiting for an activity slot and a poll). */
  sealedPdfQueueWait: TDistribution | null;
  cpu: TCpuFigures;
  workerCpuMsPerTask: number | null;
}

interface TLifecycleResult {
  taskQueue: string;
  partners: number;
  partnerSetupSeconds: number;
  warmUp: number;
  loaded: TLifecycleFigures | null;
  unloaded: TLifecycleFigures | null;
}

function lifecycleFigures(timings: TLifecycleTiming[], inFlight: number, runs: TRunSummary[], cpu: TCpuFigures): TLifecycleFigures {
  const fromMs = Math.min(...timings.map((t) => t.startCallMs));
  const toMs = Math.max(...timings.map((t) => t.liveMailMs));
  const seconds = (toMs - fromMs) / 1000;
  const sum = (pick: (run: TRunSummary) => number[]) => runs.reduce((total, run) => total + within(pick(run), fromMs, toMs), 0);
  const workflowTasks = sum((run) => run.completedTaskTimes);
  const byWorkflowId = new Map<string, TRunSummary>();
  for (const run of runs) if (run.type === 'contractWorkflow') byWorkflowId.set(run.workflowId, run);
  const contracts = timings.map((t) => byWorkflowId.get(contractWorkflowId(t.contractId))).filter((run): run is TRunSummary => Boolean(run));
  if (contracts.length < timings.length) console.warn(`  Warning: ${timings.length - contracts.length} contract histories were not listed by visibility`);
  const signatureToExecuted = contracts
    .map((run) => (run.stageMs.executed ?? NaN) - (run.signatureAcceptedMs.district ?? NaN))
    .filter((ms) => !Number.isNaN(ms));
  const activityRuns = contracts.flatMap((run) => run.activities).filter((a) => a.startedMs >= fromMs && a.completedMs <= toMs);
  const took = (name: string) => distribution(activityRuns.filter((a) => a.name === name).map((a) => a.completedMs - a.startedMs));
  const tasks = workflowTasks;
  return {
    lifecycles: timings.length,
    inFlight,
    seconds,
    lifecyclesPerSecond: timings.length / seconds,
    workflowTasks,
    workflowTasksPerSecond: workflowTasks / seconds,
    tasksPerLifecycle: workflowTasks / timings.length,
    replays: sum((run) => run.replayTaskTimes),
    failedWorkflowTasks: sum((run) => run.failedTaskTimes),
    signatureToExecuted: distribution(signatureToExecuted),
    countersignToExecutedEmail: distribution(timings.map((t) => t.executedMailMs - t.countersignedMs)),
    lifecycleDuration: distribution(timings.map((t) => t.liveMailMs - t.startCallMs)),
    activities: { contractPdf: took('generateContractPdf'), sealedPdf: took('generateExecutedContractPdf'), email: took('sendNotification') },
    sealedPdfQueueWait: distribution(activityRuns.filter((a) => a.name === 'generateExecutedContractPdf').map((a) => a.startedMs - a.scheduledMs)),
    cpu,
    workerCpuMsPerTask: cpu.workerSeconds === null || tasks === 0 ? null : (cpu.workerSeconds * 1000) / tasks,
  };
}

async function lifecyclePhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TLifecycleResult | null> {
  if (options.lifecycles === 0 && options.latency === 0) return null;
  console.log(`\n(b)(c) Contract lifecycles, worker "${config.label}": ${thousands(options.lifecycles)} with ${options.lifecycleInFlight} in flight, then ${options.latency} one at a time`);
  const taskQueue = `bench-engine-${bench.runId}-${k}-lifecycle`;
  const context: TCpoContext = { client: bench.client, taskQueue, policy: bench.policy, now: Date.now };
  const worker = await startWorker(bench, 'cpo', config, taskQueue);

  const partners = partnerApplications(`e${bench.runId}-${k}-lp`, options.partners);
  const setupStarted = nowMs();
  await Promise.race([registerPartners(context, partners, true), worker.crashed]);
  const partnerSetupSeconds = (nowMs() - setupStarted) / 1000;
  console.log(`  ${partners.length} partners certified with their attestation in ${fixed(partnerSetupSeconds)} s`);

  const dates = contractDates(bench.policy);
  const district = resolveDistrictSigner(bench.policy, { route: 'zero_dollar' });
  const drive = async (prefix: string, count: number, inFlight: number): Promise<TLifecycleTiming[]> => {
    const timings: TLifecycleTiming[] = [];
    const reportEvery = Math.max(10, Math.round(count / 10));
    const started = nowMs();
    await runWithConcurrency(
      Array.from({ length: count }, (_, i) => i),
      inFlight,
      async (i) => {
        const request = contractRequest(contractIdOf(prefix, i), partners[i % partners.length]!, dates, i);
        timings.push(await driveLifecycle(context, bench.mail, request, district));
        if (timings.length % reportEvery === 0 && count >= 20) {
          console.log(`  ${timings.length}/${count} live (${fixed(timings.length / ((nowMs() - started) / 1000), 2)}/s)`);
        }
      },
    );
    return timings;
  };

  const idPrefix = `e${bench.runId}-${k}`;
  const warmUp = Math.min(10, Math.max(2, Math.ceil(options.lifecycles / 20)));
  await Promise.race([drive(`${idPrefix}-lw`, warmUp, warmUp), worker.crashed]);

  let loaded: { timings: TLifecycleTiming[]; cpu: TCpuFigures } | null = null;
  if (options.lifecycles > 0) {
    const meter = new CpuMeter({ worker: worker.pid, server: bench.serverPid });
    const timings = await Promise.race([drive(`${idPrefix}-lm`, options.lifecycles, options.lifecycleInFlight), worker.crashed]);
    loaded = { timings, cpu: cpuFigures(meter) };
  }
  let unloaded: { timings: TLifecycleTiming[]; cpu: TCpuFigures } | null = null;
  if (options.latency > 0) {
    await sleep(1000);
    const meter = new CpuMeter({ worker: worker.pid, server: bench.serverPid });
    const timings = await Promise.race([drive(`${idPrefix}-ls`, options.latency, 1), worker.crashed]);
    unloaded = { timings, cpu: cpuFigures(meter) };
  }

  console.log('  Reading histories...');
  const expectedContracts = warmUp + options.lifecycles + options.latency;
  const listed = async () => (await bench.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'contractWorkflow'`)).count;
  await pollUntil('every contract listed by visibility', async () => (await listed()) >= expectedContracts, 30_000, 1000).catch((error: Error) =>
    console.warn(`  Warning: ${error.message}`),
  );
  const runs = await summarizeTaskQueue(bench.client, taskQueue);
  await stopWorker(bench, worker);

  const result: TLifecycleResult = {
    taskQueue,
    partners: partners.length,
    partnerSetupSeconds,
    warmUp,
    loaded: loaded ? lifecycleFigures(loaded.timings, options.lifecycleInFlight, runs, loaded.cpu) : null,
    unloaded: unloaded ? lifecycleFigures(unloaded.timings, 1, runs, unloaded.cpu) : null,
  };
  for (const [name, figures] of [['under load', result.loaded], ['one at a time', result.unloaded]] as const) {
    if (!figures) continue;
    console.log(
      `  ${name}: ${fixed(figures.lifecyclesPerSecond, 2)} lifecycles/s, ${fixed(figures.workflowTasksPerSecond)} workflow tasks/s ` +
        `(${fixed(figures.tasksPerLifecycle)} per lifecycle); signature to executed median ${fixed(figures.signatureToExecuted?.medianMs)} ms, p99 ${fixed(figures.signatureToExecuted?.p99Ms)} ms`,
    );
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// (e) Open contracts and worker memory

interface TOpenLevel {
  openContracts: number;
  /** The contracts started for this level (the increment over the previous level). */
  started: number;
  startSeconds: number;
  startsPerSecond: number;
  settleSeconds: number;
  /** RSS once settled, before and after a garbage collection of the worker's main thread (then 2 s idle). */
  rssBeforeGcBytes: number | null;
  rssBytes: number | null;
  peakSampledRssBytes: number;
  highWaterRssBytes: number | null;
  cachedWorkflows: number;
  /** (RSS − idle RSS) / cached workflows: what each cached workflow costs, to extrapolate to other cache sizes. */
  rssPerCachedWorkflowBytes: number | null;
  mainThread: { heapUsedBytes: number; externalBytes: number; arrayBuffersBytes: number };
}

interface TOpenResult {
  taskQueue: string;
  stage: 'awaiting_prerequisites' | 'awaiting_partner_signature';
  partners: number;
  heapLimitBytes: number;
  idleRssBytes: number | null;
  levels: TOpenLevel[];
}

/** Samples the worker's RSS every second, keeping the largest value seen. */
function watchMemory(pid: number): { peakBytes: () => number; stop: () => void } {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, readMemory(pid)?.rssBytes ?? 0));
  sample();
  const timer = setInterval(sample, 1000);
  timer.unref();
  return { peakBytes: () => peak, stop: () => clearInterval(timer) };
}

/**
 * Settled: visibility shows every contract of the level in the stage (and, waiting for signature, every request
 * emailed), and the worker has nothing in flight and uses under 5% of a core, for 3 seconds in a row.
 */
async function waitUntilSettled(bench: TBench, worker: TWorkerProcess, taskQueue: string, stage: TOpenResult['stage'], expected: number, emailsBefore: number): Promise<number> {
  const started = nowMs();
  const count = async () =>
    (await bench.client.workflow.count(`TaskQueue = '${taskQueue}' AND WorkflowType = 'contractWorkflow' AND CpoStage = '${stage}'`)).count;
  let quiet = 0;
  let last = '';
  let lastChangeMs = Date.now();
  let lastPrintMs = 0;
  let cpuBefore = readCpuSeconds(worker.pid);
  let cpuAt = nowMs();
  for (;;) {
    await sleep(1000);
    const [inStage, status] = await Promise.all([count(), worker.status()]);
    const cpuNow = readCpuSeconds(worker.pid);
    const cpuShare = cpuBefore === null || cpuNow === null ? 0 : (cpuNow - cpuBefore) / ((nowMs() - cpuAt) / 1000);
    cpuBefore = cpuNow;
    cpuAt = nowMs();
    const emails = bench.mail.count('signature_request') - emailsBefore;
    const emailsDone = stage !== 'awaiting_partner_signature' || emails >= expected;
    const idle = status.numInFlightWorkflowActivations === 0 && status.numInFlightActivities === 0 && cpuShare < SETTLE_IDLE_CPU_SHARE;
    quiet = inStage === expected && emailsDone && idle ? quiet + 1 : 0;
    const state = `${stage} ${thousands(inStage)}/${thousands(expected)}${stage === 'awaiting_partner_signature' ? `, emails ${emails}` : ''}, cached ${status.numCachedWorkflows}`;
    if (quiet >= SETTLE_QUIET_SECONDS) {
      console.log(`  settled: ${state}`);
      return (nowMs() - started) / 1000;
    }
    if (state !== last) {
      last = state;
      lastChangeMs = Date.now();
    } else if (Date.now() - lastChangeMs > SETTLE_STALL_MS && inStage !== expected) {
      throw new Error(`The open contracts did not settle (no change for ${SETTLE_STALL_MS / 1000} s): ${state}`);
    }
    if (Date.now() - lastPrintMs > 5000) {
      console.log(`  settling: ${state}, worker CPU ${percent(cpuShare)} of a core`);
      lastPrintMs = Date.now();
    }
  }
}

/**
 * A start whose partner query or start call timed out is tried again, as a person would; one that did go through
 * is then refused as existing, which counts as started. Returns the number of retries.
 */
async function startRetryingWhenUnavailable(start: () => Promise<unknown>): Promise<number> {
  for (let retries = 0; ; retries++) {
    try {
      await start();
      return retries;
    } catch (error) {
      if (retries > 0 && error instanceof CpoRefusedError && /already exists/.test(error.message)) return retries;
      if (!(error instanceof CpoUnavailableError) || retries >= 5) throw error;
    }
  }
}

async function openPhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TOpenResult | null> {
  if (options.open.length === 0) return null;
  const stage = options.openStage === 'signature' ? 'awaiting_partner_signature' : 'awaiting_prerequisites';
  console.log(`\n(e) Open contracts, worker "${config.label}": ${options.open.map(thousands).join(', ')} waiting in ${stage}`);
  const taskQueue = `bench-engine-${bench.runId}-${k}-open`;
  const context: TCpoContext = { client: bench.client, taskQueue, policy: bench.policy, now: Date.now };
  const worker = await startWorker(bench, 'cpo', config, taskQueue);
  await sleep(2000);
  await worker.status(true);
  await sleep(2000);
  const idleRssBytes = readMemory(worker.pid)?.rssBytes ?? null;

  const partners = partnerApplications(`e${bench.runId}-${k}-op`, OPEN_PARTNERS);
  await Promise.race([registerPartners(context, partners, stage === 'awaiting_partner_signature'), worker.crashed]);
  const dates = contractDates(bench.policy);
  const levels: TOpenLevel[] = [];
  let total = 0;
  /** Starts that timed out (a partner evicted from a small cache replays its long history) and were tried again. */
  let retried = 0;
  for (const level of options.open) {
    const memory = watchMemory(worker.pid);
    const emailsBefore = bench.mail.count('signature_request');
    const indexes = Array.from({ length: level - total }, (_, i) => total + i);
    const reportEvery = Math.max(100, Math.round(indexes.length / 10));
    let done = 0;
    const started = nowMs();
    await Promise.race([
      runWithConcurrency(indexes, OPEN_STARTS_IN_FLIGHT, async (i) => {
        retried += await startRetryingWhenUnavailable(() =>
          startContract(context, contractRequest(contractIdOf(`e${bench.runId}-${k}-o`, i), partners[i % partners.length]!, dates, i)),
        );
        done += 1;
        if (done % reportEvery === 0) console.log(`  started ${thousands(total + done)}/${thousands(level)} (${fixed(done / ((nowMs() - started) / 1000))}/s)`);
      }),
      worker.crashed,
    ]);
    const startSeconds = (nowMs() - started) / 1000;
    if (retried > 0) console.log(`  ${thousands(retried)} starts timed out and were tried again so far`);
    const settleSeconds = await Promise.race([waitUntilSettled(bench, worker, taskQueue, stage, level, emailsBefore), worker.crashed]);
    bench.mail.forgetUnclaimed();
    const rssBeforeGcBytes = readMemory(worker.pid)?.rssBytes ?? null;
    const status: TWorkerStatusReport = await worker.status(true);
    await sleep(2000);
    const settled = readMemory(worker.pid);
    memory.stop();
    levels.push({
      openContracts: level,
      started: indexes.length,
      startSeconds,
      startsPerSecond: indexes.length / startSeconds,
      settleSeconds,
      rssBeforeGcBytes,
      rssBytes: settled?.rssBytes ?? null,
      peakSampledRssBytes: memory.peakBytes(),
      highWaterRssBytes: settled?.highWaterBytes ?? null,
      cachedWorkflows: status.numCachedWorkflows,
      rssPerCachedWorkflowBytes:
        settled && idleRssBytes !== null && status.numCachedWorkflows > 0 ? (settled.rssBytes - idleRssBytes) / status.numCachedWorkflows : null,
      mainThread: { heapUsedBytes: status.memory.heapUsed, externalBytes: status.memory.external, arrayBuffersBytes: status.memory.arrayBuffers },
    });
    total = level;
    console.log(`  ${thousands(level)} open: worker RSS ${megabytes(settled?.rssBytes)} (${thousands(status.numCachedWorkflows)} workflows cached; idle ${megabytes(idleRssBytes)})`);
  }
  await stopWorker(bench, worker);
  return { taskQueue, stage, partners: partners.length, heapLimitBytes: worker.heapLimitBytes, idleRssBytes, levels };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

interface TConfigResult {
  label: string;
  tuned: TTunedWorkerOptions;
  trivial: TTrivialResult | null;
  lifecycle: TLifecycleResult | null;
  /** (b) workflow tasks/s over (a)'s, same worker configuration. */
  lifecycleTaskRatio: number | null;
  open: TOpenResult | null;
}

interface TEngineResult {
  options: TOptions;
  goals: typeof GOALS;
  pdf: TPdfResult | null;
  /** The same PDFs with Ge'ez, Arabic and Chinese names. */
  pdfNonLatin: TPdfResult | null;
  configurations: TConfigResult[];
  machine: { cpus: number; cpuModel: string; totalMemBytes: number; node: string; platform: string; busyBeforeRun: number | null };
  temporalCli: string;
  measuredAt: string;
  runSeconds: number;
}

const verdict = (met: boolean | null): string => (met === null ? 'n/a' : met ? 'met' : 'not met');
const ms = (d: TDistribution | null | undefined, key: 'medianMs' | 'p95Ms' | 'p99Ms' = 'medianMs') => fixed(d?.[key]);

function summaryTable(result: TEngineResult): string {
  const configs = result.configurations;
  const header = `| figure | ${configs.map((c) => `\`${c.label}\``).join(' | ')} | goal |`;
  const rule = `|---|${configs.map(() => '---:|').join('')}---|`;
  const row = (name: string, cell: (c: TConfigResult) => string, goal = '') => `| ${name} | ${configs.map(cell).join(' | ')} | ${goal} |`;
  const withVerdict = (text: string, met: boolean | null) => (met === null ? text : `${text} (${verdict(met)})`);
  const goalLevel = GOALS.openContractsForMemoryGoal;
  const openLevel = (c: TConfigResult, level: number) => c.open?.levels.find((l) => l.openContracts === level);
  const levels = [...new Set(configs.flatMap((c) => c.open?.levels.map((l) => l.openContracts) ?? []))].sort((a, b) => a - b);
  const loaded = (c: TConfigResult) => c.lifecycle?.loaded;
  const unloaded = (c: TConfigResult) => c.lifecycle?.unloaded;
  const rows = [
    header,
    rule,
    row('(a) trivial workflows/s', (c) => fixed(c.trivial?.workflowsPerSecond)),
    row('(a) trivial workflow tasks/s (the limit)', (c) => fixed(c.trivial?.workflowTasksPerSecond)),
    row('(a) worker CPU ms per task', (c) => fixed(c.trivial?.workerCpuMsPerTask, 2)),
    row('(b) lifecycles/s', (c) => fixed(loaded(c)?.lifecyclesPerSecond, 2)),
    row('(b) lifecycle workflow tasks/s', (c) => fixed(loaded(c)?.workflowTasksPerSecond)),
    row('(b) workflow tasks per lifecycle', (c) => fixed(loaded(c)?.tasksPerLifecycle)),
    row(
      '(b) ratio to (a)',
      (c) => withVerdict(fixed(c.lifecycleTaskRatio, 2), c.lifecycleTaskRatio === null ? null : c.lifecycleTaskRatio >= GOALS.lifecycleTaskRatio),
      `≥ ${GOALS.lifecycleTaskRatio}`,
    ),
    row('(b) worker CPU ms per task', (c) => fixed(loaded(c)?.workerCpuMsPerTask, 2)),
    row('(b) replays / failed workflow tasks', (c) => (loaded(c) ? `${loaded(c)!.replays} / ${loaded(c)!.failedWorkflowTasks}` : 'n/a')),
    row('(b) lifecycle start to live, median ms', (c) => ms(loaded(c)?.lifecycleDuration)),
    row('(c) signature → executed, median ms (under load)', (c) => ms(loaded(c)?.signatureToExecuted)),
    row(
      '(c) signature → executed, p99 ms (under load)',
      (c) => {
        const p99 = loaded(c)?.signatureToExecuted?.p99Ms;
        return withVerdict(fixed(p99), p99 === undefined ? null : p99 < GOALS.signatureToExecutedP99Ms);
      },
      `< ${GOALS.signatureToExecutedP99Ms} ms`,
    ),
    row('(c) signature → executed, median / p99 ms (one at a time)', (c) => `${ms(unloaded(c)?.signatureToExecuted)} / ${ms(unloaded(c)?.signatureToExecuted, 'p99Ms')}`),
    row('(c) countersign returned → executed email, median / p99 ms (under load)', (c) => `${ms(loaded(c)?.countersignToExecutedEmail)} / ${ms(loaded(c)?.countersignToExecutedEmail, 'p99Ms')}`),
    row('(d) contract PDF activity, median / p95 ms (under load)', (c) => `${ms(loaded(c)?.activities.contractPdf)} / ${ms(loaded(c)?.activities.contractPdf, 'p95Ms')}`),
    row('(d) sealed PDF activity, median / p95 ms (under load)', (c) => `${ms(loaded(c)?.activities.sealedPdf)} / ${ms(loaded(c)?.activities.sealedPdf, 'p95Ms')}`),
    row('(d) sealed PDF activity, median / p95 ms (one at a time)', (c) => `${ms(unloaded(c)?.activities.sealedPdf)} / ${ms(unloaded(c)?.activities.sealedPdf, 'p95Ms')}`),
    ...levels.map((level) =>
      row(
        `(e) worker RSS at ${thousands(level)} open (cached)`,
        (c) => {
          const found = openLevel(c, level);
          if (!found) return 'n/a';
          const text = `${megabytes(found.rssBytes)} (${thousands(found.cachedWorkflows)})`;
          return level === goalLevel ? withVerdict(text, found.rssBytes === null ? null : found.rssBytes < GOALS.workerRssBytes) : text;
        },
        level === goalLevel ? `< ${megabytes(GOALS.workerRssBytes)}` : '',
      ),
    ),
    row('(e) worker RSS idle', (c) => megabytes(c.open?.idleRssBytes)),
    row('(e) RSS per cached workflow, at the largest level', (c) => {
      const last = c.open?.levels[c.open.levels.length - 1];
      return last?.rssPerCachedWorkflowBytes == null ? 'n/a' : `${fixed(last.rssPerCachedWorkflowBytes / 1024 / 1024, 2)} MB`;
    }),
  ];
  if (!levels.includes(goalLevel) && levels.length > 0) rows.push(row(`(e) worker RSS at ${thousands(goalLevel)} open`, () => 'not measured', `< ${megabytes(GOALS.workerRssBytes)}`));
  return rows.join('\n');
}

function pdfTable(pdf: TPdfResult, names: string): string {
  const sealedMet = pdf.sealedPdf.p95Ms < GOALS.sealedPdfMs;
  return [
    `| PDF, ${names} (in process, document store in memory) | median ms | p95 ms | max ms | size | pages | goal |`,
    '|---|---:|---:|---:|---:|---:|---|',
    `| contract | ${fixed(pdf.contractPdf.medianMs)} | ${fixed(pdf.contractPdf.p95Ms)} | ${fixed(pdf.contractPdf.maxMs)} | ${thousands(pdf.contractBytes)} B | ${pdf.contractPages} | |`,
    `| sealed and signed (executed: signature page + certificate + PAdES signature) | ${fixed(pdf.sealedPdf.medianMs)} | ${fixed(pdf.sealedPdf.p95Ms)} | ${fixed(pdf.sealedPdf.maxMs)} | ${thousands(pdf.sealedBytes)} B | ${pdf.sealedPages} | p95 < ${GOALS.sealedPdfMs} ms: ${verdict(sealedMet)} |`,
  ].join('\n');
}

function cpuLine(name: string, cpu: TCpuFigures | undefined, seconds: number | undefined): string {
  if (!cpu || !seconds) return `  ${name}: n/a`;
  const share = (s: number | null) => (s === null ? 'n/a' : `${fixed(s, 1)} s (${percent(s / seconds)} of a core)`);
  return `  ${name}: worker ${share(cpu.workerSeconds)}, Temporal server ${share(cpu.serverSeconds)}, benchmark process ${share(cpu.benchSeconds)}; machine ${percent(cpu.machineBusy)} busy`;
}

function report(result: TEngineResult): string {
  const { machine } = result;
  const lines = [
    '## Engine benchmark',
    '',
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.totalMemBytes / 1024 ** 3).toFixed(1)} GiB RAM, Node ${machine.node}, ${machine.platform}; ` +
      `${percent(machine.busyBeforeRun)} busy before the run (other processes). Run took ${fixed(result.runSeconds / 60)} min.`,
    `Scale: trivial ${thousands(result.options.trivial)} (${result.options.trivialInFlight} in flight), lifecycles ${thousands(result.options.lifecycles)} ` +
      `(${result.options.lifecycleInFlight} in flight) + ${result.options.latency} one at a time over ${result.options.partners} partners, ` +
      `open ${result.options.open.map(thousands).join(', ') || 'none'} (${result.options.openStage}), PDF ${result.options.pdf} iterations; ` +
      `dev server state ${result.options.inMemory ? 'in memory' : 'in a SQLite file (as npm start)'}.`,
    '',
  ];
  if (result.configurations.length > 0) lines.push(summaryTable(result), '');
  if (result.pdf) lines.push(pdfTable(result.pdf, 'Latin names'), '');
  if (result.pdfNonLatin) lines.push(pdfTable(result.pdfNonLatin, "Ge'ez + Arabic + Chinese names"), '');
  for (const c of result.configurations) {
    lines.push(`CPU, worker \`${c.label}\` (${JSON.stringify(c.tuned)}):`);
    lines.push(cpuLine('(a) trivial', c.trivial?.cpu, c.trivial?.seconds));
    lines.push(cpuLine('(b) lifecycles under load', c.lifecycle?.loaded?.cpu, c.lifecycle?.loaded?.seconds));
    if (c.open) lines.push(`  (e) SDK default cache for this heap (${megabytes(c.open.heapLimitBytes)}): ${thousands(Math.max(Math.floor((Math.max(c.open.heapLimitBytes / 2 ** 20 - 200, 0) * 600) / 1024), 10))} workflows when reuseV8Context is on`);
  }
  return lines.join('\n');
}

function machineInfo(busyBeforeRun: number | null): TEngineResult['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', totalMemBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}`, busyBeforeRun };
}

async function writeResultFile(result: TEngineResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `engine-${result.measuredAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(options: TOptions, cleanup: CleanupStack): Promise<void> {
  const runStarted = nowMs();
  const measuredAt = new Date().toISOString();
  const cpuBefore = readMachineCpu();
  await sleep(1000);
  const busyBeforeRun = busyShare(cpuBefore, readMachineCpu());
  console.log(`Engine benchmark: worker configurations ${options.workers.map((w) => `"${w.label}"`).join(', ')}; machine ${percent(busyBeforeRun)} busy before starting`);

  let pdf: TPdfResult | null = null;
  let pdfNonLatin: TPdfResult | null = null;
  if (options.pdf > 0) {
    // First, in this process, while nothing else of the benchmark runs.
    console.log(`\n(d) PDF generation in process: ${options.pdf} iterations of each after 20 warm-ups`);
    pdf = await measurePdfs(loadPolicy(POLICY_FILE), options.pdf);
    console.log(`  contract PDF median ${fixed(pdf.contractPdf.medianMs)} ms, sealed and signed PDF median ${fixed(pdf.sealedPdf.medianMs)} ms (p95 ${fixed(pdf.sealedPdf.p95Ms)} ms)`);
    pdfNonLatin = await measurePdfs(loadPolicy(POLICY_FILE), options.pdf, NON_LATIN_NAMES);
    console.log(
      `  with Ge'ez + Arabic + Chinese names: contract PDF median ${fixed(pdfNonLatin.contractPdf.medianMs)} ms, ` +
        `sealed and signed PDF median ${fixed(pdfNonLatin.sealedPdf.medianMs)} ms (p95 ${fixed(pdfNonLatin.sealedPdf.p95Ms)} ms)`,
    );
  }

  const configurations: TConfigResult[] = [];
  const anyEngineWork = options.trivial > 0 || options.lifecycles > 0 || options.latency > 0 || options.open.length > 0;
  let temporalCli = 'not used';
  if (anyEngineWork) {
    const bench = await startSystem(cleanup, options.inMemory);
    temporalCli = findTemporalCli({ build: false })?.path ?? 'unknown';
    for (const [index, config] of options.workers.entries()) {
      const k = index + 1;
      console.log(`\n=== Worker configuration "${config.label}" ${JSON.stringify(config.tuned)}`);
      const trivial = await trivialPhase(bench, options, config, k);
      const lifecycle = await lifecyclePhase(bench, options, config, k);
      const open = await openPhase(bench, options, config, k);
      const lifecycleTasks = lifecycle?.loaded?.workflowTasksPerSecond;
      configurations.push({
        label: config.label,
        tuned: config.tuned,
        trivial,
        lifecycle,
        lifecycleTaskRatio: trivial && lifecycleTasks !== undefined ? lifecycleTasks / trivial.workflowTasksPerSecond : null,
        open,
      });
    }
  }

  const result: TEngineResult = {
    options,
    goals: GOALS,
    pdf,
    pdfNonLatin,
    configurations,
    machine: machineInfo(busyBeforeRun),
    temporalCli,
    measuredAt,
    runSeconds: (nowMs() - runStarted) / 1000,
  };
  console.log(`\n${report(result)}\n`);
  console.log(`Results written to ${path.relative(process.cwd(), await writeResultFile(result))}`);
}

runBenchmark(parseOptions, main);

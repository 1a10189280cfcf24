// Dashboard benchmark: starts N contracts on a real Temporal dev server (SQLite file, as `npm start`), with the
// worker as a child process and the HTTP server in this process, then measures the dashboard's list and search
// latency over HTTP and the worker's memory. Levels grow the same server: 1,000 contracts, then 9,000 more.
//
//   npm run bench:dashboard -- [--contracts 1000 --contracts 10000] [--samples 200] [--stack dev|production]
// `--stack production`: the Temporal server on PostgreSQL with SQL visibility on PostgreSQL (scripts/temporal-backend.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createFolderDocumentStore } from '../activities/storage/document-store';
import { connectCpo, type TCpoContext } from '../client/context';
import { CpoUnavailableError } from '../client/errors';
import { startContract } from '../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, signAttestation, startPartnerReview } from '../client/partners';
import type { TPartnerListing } from '../client/search/search-partners';
import type { TContractListing } from '../client/search/search-contracts';
import type { TPipelineBoard } from '../client/search/pipeline-board';
import type { TDirectory } from '../client/search/summarize-directory';
import { parseEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import { ZContractRequestSchema, type TContractRequestInput } from '../domain/schemas/contract';
import { checklistMeeting, type TPartnerApplicationInput } from '../domain/schemas/partner';
import { isRenewedEachYear, requiredRecords } from '../domain/agency-records';
import { schoolYearOf } from '../domain/school-year';
import { planTerm } from '../domain/plan-term';
import type { TPolicy } from '../domain/policy';
import { CERTIFICATION_CRITERIA, contractWorkflowId, SERVICE_TYPES, type TContractStage, type TPartnershipCategory, type TServiceType } from '../domain/vocabulary';
import { seededRandom, type TRandom } from '../scripts/seeded-random';
import { SmtpCatcher } from '../scripts/smtp-catcher';
import { startTemporalBackend, TEMPORAL_BACKENDS, type TTemporalBackend } from '../scripts/temporal-backend';
import { hashStaffPassword } from '../security/staff-password';
import { createServer } from '../server/create-server';
import { CleanupStack, runBenchmark } from './lib/cleanup';
import { readMemory } from './lib/proc';
import { stopChild } from './lib/worker-process';
import { pollUntil, runWithConcurrency, sleep } from './lib/stats';

const REPO_ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const DEFAULT_LEVELS = [1_000, 10_000];
const TARGET_P95_MS = 300;
const PARTNER_COUNT = 50;
/** Every fifth partner is certified with its attestation on file: 10 of 50, spread over all service types. */
const isCertifiedPartner = (index: number): boolean => index % 5 === 0;
const STARTS_IN_FLIGHT = 32;
const PARTNER_SETUPS_IN_FLIGHT = 8;
const WARM_UP_REQUESTS = 10;
/** Endpoints that read every open contract get fewer samples. */
const HEAVY_SAMPLES = 20;
const HEAVY_WARM_UP = 3;
/** Give up settling when nothing has moved for this long. */
const SETTLE_STALL_MS = 180_000;
/** A request answered 503 is sent again at most this many times before the benchmark stops. */
const MAX_ATTEMPTS_ON_503 = 20;
const STAFF = { username: 'bench', name: 'Bench Staff', email: 'bench@cpo.localhost', password: randomBytes(12).toString('base64url') };

// ---------------------------------------------------------------------------------------------------------------
// Options

interface TOptions {
  levels: number[];
  samples: number;
  /** The Temporal server: the dev server on SQLite, or the production configuration on PostgreSQL visibility. */
  stack: TTemporalBackend;
}

function parseOptions(argv: string[]): TOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      contracts: { type: 'string', multiple: true },
      samples: { type: 'string', default: '200' },
      stack: { type: 'string', default: 'dev' },
    },
  });
  const positiveInteger = (text: string, flag: string): number => {
    const value = Number(text.replace(/[_,]/g, ''));
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} ${text}: must be a positive whole number`);
    return value;
  };
  // `--contracts 1000 --contracts 10000` or `--contracts 1000,10000`; the levels grow one server, so ascending.
  const levels = (values.contracts ?? [])
    .flatMap((item) => item.split(/[\s,]+/).filter(Boolean))
    .map((item) => positiveInteger(item, 'contracts'));
  return {
    levels: levels.length > 0 ? [...new Set(levels)].sort((a, b) => a - b) : DEFAULT_LEVELS,
    samples: positiveInteger(values.samples!, 'samples'),
    stack: stackOption(values.stack!),
  };
}

function stackOption(text: string): TTemporalBackend {
  const stack = TEMPORAL_BACKENDS.find((name) => name === text);
  if (!stack) throw new Error(`--stack ${text}: must be one of ${TEMPORAL_BACKENDS.join(', ')}`);
  return stack;
}

// ---------------------------------------------------------------------------------------------------------------
// Realistic data, from a seeded generator so every run starts the same contracts.

const pick = <T>(random: TRandom, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: TRandom, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
function pickDistinct<T>(random: TRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  return Array.from({ length: Math.min(count, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
}

const NAME_PLACES = [
  'Phillips', 'Cedar-Riverside', 'Powderhorn', 'Northside', 'Lake Street', 'Seward', 'Longfellow', 'Whittier',
  'Near North', 'Camden', 'Corcoran', 'Hawthorne', 'Jordan', 'Midtown', 'Nokomis', 'Hmong American', 'Somali',
  'Oromo', 'Latino', 'Native American', 'Hội Người Việt', 'Centro', 'Dakota', 'Karen', 'Ethiopian',
];
const NAME_FOCUS = ['Youth', 'Family', 'Reading', 'Arts', 'Soccer', 'STEM', 'Music', 'Mentoring', 'Wellness', 'Leadership', 'Dance', 'Chess'];
const NAME_KINDS = ['Collective', 'Alliance', 'Center', 'Project', 'Network', 'Club', 'Foundation', 'Partners', 'Academy', 'Works', 'Circle'];
const PEOPLE = [
  'Lan Nguyễn', 'Amina Hassan', 'Carlos Ramírez', 'Mai Vang', 'Ahmed Farah', 'Rosa Martínez', 'Tou Xiong', 'Fartun Ali',
  'James Johnson', 'Winona Redwing', 'Chaltu Tolasa', 'Paw Htoo', 'Graciela López', 'Kiara Williams', 'Hodan Yusuf',
];
const TITLES = ['Executive Director', 'Program Director', 'Director', 'Founder'];
const PROGRAM_KINDS: Record<TServiceType, string[]> = {
  literacy_tutoring: ['Reading circles', 'Literacy tutoring', 'Family book club'],
  enrichment: ['Robotics club', 'Chess club', 'Garden club'],
  arts: ['Mural project', 'Dance studio', 'Theater workshop'],
  leadership_mentorship: ['Youth leadership council', 'Mentoring circles'],
  attendance_support: ['Attendance coaching', 'Morning check-in'],
  career_college_readiness: ['College access workshops', 'Career exploration'],
  health_mental_health: ['School-based therapy', 'Wellness groups'],
  social_emotional_learning: ['Restorative circles', 'SEL skills groups'],
};
const OFFICES = {
  zero_dollar: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' },
  afterschool_enrichment: { name: 'Community Education', email: 'community.education@mpls.k12.mn.us' },
};
const CATEGORIES: Record<keyof typeof OFFICES, TPartnershipCategory[]> = {
  zero_dollar: ['contracted_partner', 'contracted_partner', 'mental_health'],
  afterschool_enrichment: ['community_education', 'extended_learning_cbo'],
};

interface TBenchPartner {
  application: TPartnerApplicationInput;
  certified: boolean;
}

const slug = (text: string): string =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

function makePartners(random: TRandom): TBenchPartner[] {
  const names = new Set<string>();
  while (names.size < PARTNER_COUNT) names.add(`${pick(random, NAME_PLACES)} ${pick(random, NAME_FOCUS)} ${pick(random, NAME_KINDS)}`);
  return [...names].map((organizationName, index) => {
    const partnerId = slug(organizationName);
    const person = pick(random, PEOPLE);
    const extraServices = pickDistinct(random, SERVICE_TYPES, between(random, 0, 2));
    return {
      certified: isCertifiedPartner(index),
      application: {
        partnerId,
        organizationName,
        representative: { name: person, title: pick(random, TITLES), email: `${slug(person.split(' ')[0]!)}@${partnerId}.example` },
        // The first service cycles so the certified partners (every fifth) cover all eight types between them.
        services: [...new Set([SERVICE_TYPES[index % SERVICE_TYPES.length]!, ...extraServices])],
      },
    };
  });
}

const BENCH_POLICY = loadPolicy(parseEnv().CPO_POLICY_FILE);
const DAY_MS = 86_400_000;

function makeContractRequest(index: number, partner: TBenchPartner, random: TRandom, todayMs: number): TContractRequestInput {
  const { application } = partner;
  const services = pickDistinct(random, application.services, between(random, 1, 2));
  const schoolCount = random() < 0.55 ? 1 : random() < 0.67 ? 2 : between(random, 3, 4);
  const schools = pickDistinct(random, BENCH_POLICY.schools!, schoolCount);
  const route = random() < 0.6 ? 'zero_dollar' : 'afterschool_enrichment';
  const amountCents = route === 'afterschool_enrichment' && random() < 0.5 ? between(random, 5, 300) * 10_000 : 0;
  // A quarter start within the dashboard's 30-day look-ahead, so the "blocked" list has contracts in it; a start
  // too near the end of its school year moves to the next one (planTerm), so every term is valid on any day.
  const term = planTerm(todayMs, BENCH_POLICY, {
    daysAhead: random() < 0.25 ? between(random, 3, 25) : between(random, 40, 280),
    lengthDays: between(random, 150, 300),
  });
  const kind = pick(random, PROGRAM_KINDS[services[0]!]);
  return {
    contractId: `bench-${String(index).padStart(6, '0')}`,
    partnerId: application.partnerId,
    programName: schools.length === 1 ? `${kind} at ${schools[0]}` : `${kind} (${schools.length} schools)`,
    services,
    schools,
    route,
    category: pick(random, CATEGORIES[route]),
    amountCents,
    startDate: term.startDate,
    endDate: term.endDate,
    initiatedBy: OFFICES[route],
    partnerSigner: { ...application.representative },
  };
}

/** What was started, so each measured query can be checked against what it must find. */
class LoadTally {
  total = 0;
  awaitingSignature = 0;
  startingSoon = 0;
  readonly schools = new Set<string>();
  readonly serviceStages = new Set<string>();
  readonly partnerWords = new Set<string>();

  add(request: TContractRequestInput, partner: TBenchPartner, todayMs: number, policy: TPolicy): void {
    // A certified partner's contract goes to signature unless it needs an agency record beyond the attestation: the
    // representative is asked for it by email, and the contract waits for it.
    const { shape } = ZContractRequestSchema;
    const needs = requiredRecords(policy, {
      route: request.route,
      category: shape.category.parse(request.category),
      exchangesStudentData: shape.exchangesStudentData.parse(request.exchangesStudentData),
    });
    // The attestation signed at set-up covers this school year; a yearly one for next year is asked for by email.
    const thisYear = schoolYearOf(new Date(todayMs).toISOString(), policy.schoolYear, policy.timeZone).name;
    const attestationOnFile = !isRenewedEachYear(policy, 'safety_attestation') || schoolYearOf(request.startDate, policy.schoolYear, policy.timeZone).name === thisYear;
    const ready = partner.certified && attestationOnFile && needs.every((kind) => kind === 'safety_attestation');
    const stage: TContractStage = ready ? 'awaiting_partner_signature' : 'awaiting_prerequisites';
    this.total += 1;
    if (ready) this.awaitingSignature += 1;
    if (Date.parse(request.startDate) < todayMs + 30 * DAY_MS) this.startingSoon += 1;
    request.schools.forEach((school) => this.schools.add(school));
    request.services.forEach((service) => this.serviceStages.add(`${service}|${stage}`));
    nameWords(partner.application.organizationName).forEach((word) => this.partnerWords.add(word));
  }
}

const nameWords = (name: string): string[] => (name.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= 4);

// ---------------------------------------------------------------------------------------------------------------
// The system under test


interface TWorkerProcess {
  pid: number;
  /** Rejects if the worker exits before stop(): race the load against it instead of waiting for a stall. */
  crashed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * `node --import tsx worker/main.ts`, the same as `npm run worker`, except that the tsx CLI would run the worker in a
 * grandchild process; this way the child's pid is the worker's, whose memory is read from /proc.
 */
async function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<TWorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The worker did not start polling within 120 s')), 120_000);
    forwardLines(child, (line) => {
      if (line.startsWith('Worker polling task queue')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The worker exited with code ${code}`));
    });
  });
  await ready;
  let stopping = false;
  const crashed = exited.then((code) => {
    throw new Error(stopping ? 'The worker was stopped' : `The worker exited unexpectedly with code ${code}`);
  });
  crashed.catch(() => undefined); // observed only where raced
  return {
    pid: child.pid!,
    crashed,
    stop: () => {
      stopping = true;
      return stopChild(child, exited);
    },
  };
}

function forwardLines(child: ChildProcess, onStdoutLine: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    onStdoutLine(line);
    console.log(`[worker] ${line}`);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`[worker] ${line}`));
}


function watchMemory(pid: number): { peakBytes: () => number; stop: () => void } {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, readMemory(pid)?.rssBytes ?? 0));
  sample();
  const timer = setInterval(sample, 1000);
  timer.unref();
  return { peakBytes: () => peak, stop: () => clearInterval(timer) };
}

/** The HTTP server's log (pino JSON lines): warnings and errors are kept for the report. */
function serverLogCollector(): { stream: Writable; problems: string[] } {
  const problems: string[] = [];
  let pending = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
          if ((entry.level ?? 0) >= 40) problems.push(entry.err?.message ?? entry.msg ?? line);
        } catch {
          problems.push(line);
        }
      }
      done();
    },
  });
  return { stream, problems };
}

/** Counts mail instead of keeping it: at 10,000 contracts the catcher would otherwise hold thousands of PDFs. */
function startMailCounter(): { catcher: SmtpCatcher; counts: { all: number; signatureRequests: number } } {
  const counts = { all: 0, signatureRequests: 0 };
  const catcher: SmtpCatcher = new SmtpCatcher({
    onMessage: (mail) => {
      counts.all += 1;
      if ((mail.parsed.subject ?? '').includes('(request #1)')) counts.signatureRequests += 1;
      catcher.messages.splice(0);
    },
  });
  return { catcher, counts };
}

// ---------------------------------------------------------------------------------------------------------------
// Load

const REVIEWER = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };

/** Applies every partner; certified ones are reviewed, certified and sign their attestation (as fixtures' readyPartner). */
async function registerPartners(context: TCpoContext, partners: TBenchPartner[]): Promise<void> {
  await runWithConcurrency(partners, PARTNER_SETUPS_IN_FLIGHT, async ({ application, certified }) => {
    await applyPartner(context, application);
    if (!certified) return;
    const { partnerId, representative } = application;
    await startPartnerReview(context, partnerId, { reviewer: REVIEWER });
    await certifyPartner(context, partnerId, { reviewer: REVIEWER, checklist: checklistMeeting(CERTIFICATION_CRITERIA) });
    await pollUntil(`attestation form of ${partnerId}`, async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await signAttestation(context, partnerId, { ...representative, consent: true });
  });
}

/** A start answered "try again" is tried again this many times before the benchmark stops. */
const MAX_START_ATTEMPTS = 10;

async function startContracts(context: TCpoContext, requests: TContractRequestInput[]): Promise<{ seconds: number; perSecond: number; retried: number }> {
  const started = performance.now();
  const reportEvery = Math.max(100, Math.round(requests.length / 10));
  let done = 0;
  let retried = 0;
  await runWithConcurrency(requests, STARTS_IN_FLIGHT, async (request) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await startContract(context, request);
        break;
      } catch (error) {
        // "Try again" (the client's 503): the start may have gone through before the answer was lost.
        if (!(error instanceof CpoUnavailableError) || attempt >= MAX_START_ATTEMPTS) throw error;
        retried += 1;
        await sleep(1_000);
        const exists = await context.client.workflow.getHandle(contractWorkflowId(request.contractId)).describe().then(() => true, () => false);
        if (exists) break;
      }
    }
    done += 1;
    if (done % reportEvery === 0 || done === requests.length) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`  started ${done.toLocaleString('en-US')}/${requests.length.toLocaleString('en-US')} (${(done / seconds).toFixed(1)}/s)`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: requests.length / seconds, retried };
}

/**
 * Waits until visibility lists every contract and the worker has drained: none still `initiated`, every contract
 * of a certified partner waiting for the partner's signature, and its signature request delivered.
 */
async function waitUntilSettled(context: TCpoContext, tally: LoadTally, mail: { signatureRequests: number }): Promise<number> {
  const started = performance.now();
  const count = async (clause = '') => (await context.client.workflow.count(`WorkflowType = 'contractWorkflow'${clause}`)).count;
  let last = '';
  let lastChangeMs = Date.now();
  let lastPrintMs = 0;
  for (;;) {
    const [visible, initiated, awaitingSignature] = await Promise.all([
      count(),
      count(` AND CpoStage = 'initiated'`),
      count(` AND CpoStage = 'awaiting_partner_signature'`),
    ]);
    const state = `visible ${visible}/${tally.total}, initiated ${initiated}, awaiting partner signature ${awaitingSignature}/${tally.awaitingSignature}, signature emails ${mail.signatureRequests}/${tally.awaitingSignature}`;
    if (visible === tally.total && initiated === 0 && awaitingSignature === tally.awaitingSignature && mail.signatureRequests >= tally.awaitingSignature) {
      console.log(`  settled: ${state}`);
      return (performance.now() - started) / 1000;
    }
    if (state !== last) {
      last = state;
      lastChangeMs = Date.now();
    } else if (Date.now() - lastChangeMs > SETTLE_STALL_MS) {
      throw new Error(`The load did not settle (no change for ${SETTLE_STALL_MS / 1000} s): ${state}`);
    }
    if (Date.now() - lastPrintMs > 5000) {
      console.log(`  settling: ${state}`);
      lastPrintMs = Date.now();
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement over HTTP

class DashboardClient {
  rateLimitPauses = 0;
  /** Answers 503 "try again" that were sent again (not timed). */
  unavailableAnswers = 0;

  private constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Signs in on the login form, as a browser does; the pages and their live refresh use this session cookie. */
  static async withSession(baseUrl: string): Promise<DashboardClient> {
    const response = await fetch(`${baseUrl}/dashboard/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: STAFF.username, password: STAFF.password }).toString(),
      redirect: 'manual',
    });
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (response.status !== 303 || !cookie) throw new Error(`Sign-in failed: HTTP ${response.status}`);
    return new DashboardClient(baseUrl, { cookie });
  }

  /** HTTP Basic, as scripts call the API: every request checks the password (scrypt). */
  static withBasicAuth(baseUrl: string): DashboardClient {
    const credentials = Buffer.from(`${STAFF.username}:${STAFF.password}`).toString('base64');
    return new DashboardClient(baseUrl, { authorization: `Basic ${credentials}` });
  }

  /**
   * One GET, timed from sending to the last byte of the body. A 503 ("try again": Temporal did not answer in time)
   * is counted and sent again after its Retry-After, at most a second here; anything else but 200 stops the benchmark.
   */
  async timedGet(pathAndQuery: string): Promise<{ ms: number; body: unknown }> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const response = await fetch(`${this.baseUrl}${pathAndQuery}`, { headers: this.headers });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status === 503 && attempt < MAX_ATTEMPTS_ON_503) {
        this.unavailableAnswers += 1;
        await sleep(Math.min(Number(response.headers.get('retry-after') ?? 1), 1) * 1000);
        continue;
      }
      if (response.status !== 200) throw new Error(`GET ${pathAndQuery} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
      await this.respectRateLimit(response.headers);
      return { ms, body: JSON.parse(text) as unknown };
    }
  }

  /** The staff area allows 600 requests a minute; when the window is spent, wait for it (not timed). */
  private async respectRateLimit(headers: Headers): Promise<void> {
    if (Number(headers.get('x-ratelimit-remaining') ?? 1) > 0) return;
    this.rateLimitPauses += 1;
    await sleep(Number(headers.get('x-ratelimit-reset') ?? 60) * 1000 + 250);
  }
}

interface TEndpoint {
  name: string;
  client: DashboardClient;
  samples: number;
  warmUp: number;
  /** The request for the i-th call: filters rotate through values the load is known to contain. */
  pathFor(i: number): string;
  /** Throws when the answer is not what the load must produce. */
  check(body: unknown, pathAndQuery: string): void;
}

const rotate = <T>(items: readonly T[], i: number): T => items[i % items.length]!;
const query = (params: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();

function requireThat(condition: boolean, pathAndQuery: string, problem: string): void {
  if (!condition) throw new Error(`GET ${pathAndQuery}: ${problem}`);
}

function dashboardEndpoints(tally: LoadTally, samples: number, session: DashboardClient, basic: DashboardClient): TEndpoint[] {
  const schools = [...tally.schools].sort();
  const serviceStages = [...tally.serviceStages].sort().map((pair) => pair.split('|') as [string, string]);
  const words = [...tally.partnerWords].sort();
  const heavy = { samples: Math.min(HEAVY_SAMPLES, samples), warmUp: HEAVY_WARM_UP };
  const usual = { samples, warmUp: WARM_UP_REQUESTS };
  const contractsOf = (body: unknown) => (body as { contracts: TContractListing[] }).contracts;
  const someContracts = (body: unknown, at: string) => requireThat(contractsOf(body).length > 0, at, 'no contracts');
  const firstPage = (body: unknown, at: string) =>
    requireThat(contractsOf(body).length === Math.min(50, tally.total), at, `expected a full page, got ${contractsOf(body).length}`);
  const someDirectory = (body: unknown, at: string) => requireThat((body as TDirectory).totals.programs > 0, at, 'no programs');

  return [
    {
      name: 'board',
      client: session,
      ...usual,
      pathFor: () => '/api/board',
      check: (body, at) => {
        const counted = Object.values((body as TPipelineBoard).contracts).reduce((sum, n) => sum + n, 0);
        requireThat(counted === tally.total, at, `counts ${counted} contracts, ${tally.total} were started`);
      },
    },
    { name: 'contracts, first page', client: session, ...usual, pathFor: () => `/api/contracts?${query({ pageSize: 50 })}`, check: firstPage },
    { name: 'contracts by school', client: session, ...usual, pathFor: (i) => `/api/contracts?${query({ school: rotate(schools, i) })}`, check: someContracts },
    {
      name: 'contracts by service + stage',
      client: session,
      ...usual,
      pathFor: (i) => {
        const [service, stage] = rotate(serviceStages, i);
        return `/api/contracts?${query({ service, stage })}`;
      },
      check: someContracts,
    },
    {
      name: 'contracts by partner name word',
      client: session,
      ...usual,
      pathFor: (i) => `/api/contracts?${query({ text: rotate(words, i) })}`,
      check: (body, at) => {
        const word = new URLSearchParams(at.split('?')[1]).get('text')!.toLowerCase();
        const listings = contractsOf(body);
        requireThat(listings.length > 0, at, 'no contracts');
        requireThat(listings.every((l) => l.organizationName.toLowerCase().includes(word)), at, `a contract whose partner name lacks "${word}"`);
      },
    },
    {
      name: 'contracts, blocked view',
      client: session,
      ...usual,
      pathFor: () => `/api/contracts?${query({ view: 'blocked' })}`,
      check: (body, at) => requireThat(tally.startingSoon === 0 || contractsOf(body).length > 0, at, 'no blocked contracts'),
    },
    {
      name: 'partners by name word',
      client: session,
      ...usual,
      pathFor: (i) => `/api/partners?${query({ text: rotate(words, i) })}`,
      check: (body, at) => requireThat((body as { partners: TPartnerListing[] }).partners.length > 0, at, 'no partners'),
    },
    { name: 'directory of one school', client: session, ...usual, pathFor: (i) => `/api/directory/schools/${encodeURIComponent(rotate(schools, i))}`, check: someDirectory },
    {
      name: 'directory, whole district',
      client: session,
      ...heavy,
      pathFor: () => '/api/directory',
      check: (body, at) => {
        const programs = (body as TDirectory).totals.programs;
        requireThat(programs === tally.total, at, `lists ${programs} programs, ${tally.total} are open`);
      },
    },
    { name: 'contracts, first page (HTTP Basic)', client: basic, ...heavy, pathFor: () => `/api/contracts?${query({ pageSize: 50 })}`, check: firstPage },
  ];
}

interface TLatency {
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Nearest-rank percentiles. */
function summarize(durations: number[]): TLatency {
  const sorted = [...durations].sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { medianMs: percentile(50), p95Ms: percentile(95), maxMs: sorted[sorted.length - 1]! };
}

interface TEndpointResult extends TLatency {
  name: string;
  example: string;
  samples: number;
}

/** Sequential requests: the warm-up ones are checked but not counted. */
async function measureEndpoint(endpoint: TEndpoint): Promise<TEndpointResult> {
  const durations: number[] = [];
  for (let i = 0; i < endpoint.warmUp + endpoint.samples; i++) {
    const at = endpoint.pathFor(i);
    const { ms, body } = await endpoint.client.timedGet(at);
    endpoint.check(body, at);
    if (i >= endpoint.warmUp) durations.push(ms);
  }
  return { name: endpoint.name, example: endpoint.pathFor(0), samples: endpoint.samples, ...summarize(durations) };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

interface TLevelResult {
  contracts: number;
  partners: { total: number; certified: number; setupSeconds: number };
  contractsAwaitingPartnerSignature: number;
  contractsAwaitingPrerequisites: number;
  /** The contracts started for this level (all of them at the first level, the increment after). */
  start: { contracts: number; seconds: number; perSecond: number; inFlight: number; retried: number };
  settleSeconds: number;
  worker: { rssBytes: number | null; idleRssBytes: number | null; peakSampledRssBytes: number; highWaterRssBytes: number | null };
  emailsCaught: number;
  endpoints: TEndpointResult[];
  targetP95Ms: number;
  overTarget: string[];
  rateLimitPauses: number;
  unavailableAnswers: number;
  serverLogProblems: string[];
  machine: { cpus: number; cpuModel: string; totalMemBytes: number; node: string; platform: string };
  measuredAt: string;
}

const megabytes = (bytes: number | null): string => (bytes === null || Number.isNaN(bytes) ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`);
const thousands = (n: number): string => n.toLocaleString('en-US');
const ms = (value: number): string => value.toFixed(1);

function markdownReport(result: TLevelResult): string {
  const { start, worker, machine } = result;
  const rows = result.endpoints.map(
    (e) => `| ${e.name} \`${e.example}\` | ${e.samples} | ${ms(e.medianMs)} | ${ms(e.p95Ms)} | ${ms(e.maxMs)} |`,
  );
  return [
    `## Dashboard benchmark: ${thousands(result.contracts)} contracts`,
    '',
    `- Contracts: ${thousands(result.contracts)} from ${result.partners.total} partners (${result.partners.certified} certified): ` +
      `${thousands(result.contractsAwaitingPartnerSignature)} awaiting partner signature, ${thousands(result.contractsAwaitingPrerequisites)} awaiting prerequisites`,
    `- Start rate: ${thousands(start.contracts)} contracts in ${start.seconds.toFixed(1)} s = ${start.perSecond.toFixed(1)} contracts/s (${start.inFlight} in flight; ${start.retried} starts answered "try again" and sent again); settled ${result.settleSeconds.toFixed(1)} s after the last start`,
    `- Worker RSS: ${megabytes(worker.rssBytes)} settled (idle before any load ${megabytes(worker.idleRssBytes)}; ` +
      `peak sampled ${megabytes(worker.peakSampledRssBytes)}; high-water mark ${megabytes(worker.highWaterRssBytes)}, including start-up)`,
    `- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${(machine.totalMemBytes / 1024 ** 3).toFixed(1)} GiB RAM, Node ${machine.node}, ${machine.platform}`,
    `- Requests: sequential over HTTP (keep-alive), session cookie unless noted; ${WARM_UP_REQUESTS} warm-up requests (${HEAVY_WARM_UP} for the reduced-sample rows) not counted`,
    '',
    '| endpoint | samples | median ms | p95 ms | max ms |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
    result.overTarget.length === 0
      ? `p95 under ${result.targetP95Ms} ms: all endpoints.`
      : `p95 over ${result.targetP95Ms} ms: ${result.overTarget.join(', ')}.`,
    `Rate-limit pauses (600 requests/min on the staff area, not timed): ${result.rateLimitPauses}. Answers 503 "try again", sent again (not timed): ${result.unavailableAnswers}. Emails caught: ${thousands(result.emailsCaught)}.`,
    result.serverLogProblems.length === 0
      ? 'Server log: no warnings or errors.'
      : `Server log: ${result.serverLogProblems.length} warnings/errors, first: ${result.serverLogProblems.slice(0, 3).join(' | ')}`,
  ].join('\n');
}

async function writeResultFile(result: TLevelResult, stack: TTemporalBackend): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `dashboard-${stack === 'production' ? 'production-' : ''}${result.contracts}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

function machineInfo(): TLevelResult['machine'] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown', totalMemBytes: os.totalmem(), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main(options: TOptions, cleanup: CleanupStack): Promise<void> {
  console.log(`Dashboard benchmark: levels ${options.levels.map(thousands).join(', ')} contracts, ${options.samples} samples per endpoint`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-bench-'));
  cleanup.add('the temporary data folder', () => rm(dataDir, { recursive: true, force: true }));

  const { temporal, close: closeTemporal } = await startTemporalBackend(options.stack, dataDir);
  cleanup.add('the Temporal server', closeTemporal);

  const mail = startMailCounter();
  const smtpPort = await mail.catcher.listen(0);
  cleanup.add('the SMTP catcher', () => mail.catcher.close());

  const signingSecret = randomBytes(32).toString('base64url');
  const benchEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `bench-dashboard-${randomUUID().slice(0, 8)}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    CPO_DATA_DIR: dataDir,
    CPO_MODE: 'embedded',
    CPO_SIGNING_SECRET: signingSecret,
  };
  const cpo = connectCpo(parseEnv({ ...process.env, ...benchEnv }));
  cleanup.add('the Temporal client', () => cpo.close());

  const serverLog = serverLogCollector();
  const http = await createServer({
    context: cpo.context,
    documents: createFolderDocumentStore(path.join(dataDir, 'documents')),
    signingSecret,
    logStream: serverLog.stream,
    staff: {
      users: [{ username: STAFF.username, name: STAFF.name, email: STAFF.email, passwordHash: hashStaffPassword(STAFF.password), access: { role: 'cpo' } }],
      sessionSecret: randomBytes(32).toString('base64url'),
      secureCookies: false,
    },
  });
  const baseUrl = await http.listen({ host: '127.0.0.1', port: 0 });
  cleanup.add('the HTTP server', () => http.close());

  const worker = await startWorkerProcess({ ...process.env, ...benchEnv, CPO_PUBLIC_URL: baseUrl });
  cleanup.add('the worker', () => worker.stop());
  const idleRssBytes = readMemory(worker.pid)?.rssBytes ?? null;
  console.log(`Temporal ${temporal.address} (${options.stack === 'production' ? 'PostgreSQL' : 'SQLite'} in ${dataDir}), HTTP ${baseUrl}, SMTP 127.0.0.1:${smtpPort}, worker pid ${worker.pid}`);

  const random = seededRandom(2026);
  const partners = makePartners(random);
  const partnersStarted = performance.now();
  await Promise.race([registerPartners(cpo.context, partners), worker.crashed]);
  const partnerSetupSeconds = (performance.now() - partnersStarted) / 1000;
  const certifiedPartners = partners.filter((p) => p.certified).length;
  console.log(`Registered ${partners.length} partners (${certifiedPartners} certified) in ${partnerSetupSeconds.toFixed(1)} s`);

  const session = await DashboardClient.withSession(baseUrl);
  const basic = DashboardClient.withBasicAuth(baseUrl);
  const tally = new LoadTally();
  const todayMs = Date.parse(new Date().toISOString().slice(0, 10));
  for (const level of options.levels) {
    console.log(`\nLoading to ${thousands(level)} contracts...`);
    const memory = watchMemory(worker.pid);
    const requests = Array.from({ length: level - tally.total }, (_, offset) => {
      const partner = partnerFor(random, partners);
      const request = makeContractRequest(tally.total + offset + 1, partner, random, todayMs);
      return { request, partner };
    });
    const start = await Promise.race([startContracts(cpo.context, requests.map(({ request }) => request)), worker.crashed]);
    requests.forEach(({ request, partner }) => tally.add(request, partner, todayMs, cpo.context.policy));
    const settleSeconds = await Promise.race([waitUntilSettled(cpo.context, tally, mail.counts), worker.crashed]);
    const settled = readMemory(worker.pid);
    memory.stop();

    console.log(`Measuring ${thousands(level)} contracts over HTTP...`);
    const pausesBefore = session.rateLimitPauses + basic.rateLimitPauses;
    const unavailableBefore = session.unavailableAnswers + basic.unavailableAnswers;
    const endpoints: TEndpointResult[] = [];
    for (const endpoint of dashboardEndpoints(tally, options.samples, session, basic)) {
      endpoints.push(await measureEndpoint(endpoint));
      console.log(`  ${endpoint.name}: p95 ${ms(endpoints[endpoints.length - 1]!.p95Ms)} ms`);
    }
    const result: TLevelResult = {
      contracts: tally.total,
      partners: { total: partners.length, certified: certifiedPartners, setupSeconds: partnerSetupSeconds },
      contractsAwaitingPartnerSignature: tally.awaitingSignature,
      contractsAwaitingPrerequisites: tally.total - tally.awaitingSignature,
      start: { contracts: requests.length, seconds: start.seconds, perSecond: start.perSecond, inFlight: STARTS_IN_FLIGHT, retried: start.retried },
      settleSeconds,
      worker: { rssBytes: settled?.rssBytes ?? null, idleRssBytes, peakSampledRssBytes: memory.peakBytes(), highWaterRssBytes: settled?.highWaterBytes ?? null },
      emailsCaught: mail.counts.all,
      endpoints,
      targetP95Ms: TARGET_P95_MS,
      overTarget: endpoints.filter((e) => e.p95Ms >= TARGET_P95_MS).map((e) => e.name),
      rateLimitPauses: session.rateLimitPauses + basic.rateLimitPauses - pausesBefore,
      unavailableAnswers: session.unavailableAnswers + basic.unavailableAnswers - unavailableBefore,
      serverLogProblems: [...serverLog.problems],
      machine: machineInfo(),
      measuredAt: new Date().toISOString(),
    };
    console.log(`\n${markdownReport(result)}\n`);
    console.log(`Results written to ${path.relative(process.cwd(), await writeResultFile(result, options.stack))}`);
  }
}

/** Some partners run many programs: a skewed pick, so per-partner lists range from a handful to hundreds. */
const partnerFor = (random: TRandom, partners: TBenchPartner[]): TBenchPartner => partners[Math.floor(random() ** 1.6 * partners.length)]!;

runBenchmark(parseOptions, main);

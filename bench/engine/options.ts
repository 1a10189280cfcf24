import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TTunedWorkerOptions } from '../lib/worker-protocol';

// The engine benchmark's constants, goals and command-line options.

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(__dirname, '..', 'results');
/** Pinned: the lifecycles use its zero_dollar route, whose district signer is the CPO office. */
export const POLICY_FILE = path.join(REPO_ROOT, 'policies', 'minneapolis.json');
export const MAIL_FROM = 'Community Partnerships Office <cpo@mpls.k12.mn.us>';

/** The goals. */
export const GOALS = {
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

export const PARTNER_SETUPS_IN_FLIGHT = 8;
export const OPEN_STARTS_IN_FLIGHT = 32;
export const OPEN_PARTNERS = 50;
/** Settled: nothing in flight and the worker under this share of one core, for this many seconds in a row. */
export const SETTLE_IDLE_CPU_SHARE = 0.05;
export const SETTLE_QUIET_SECONDS = 3;
export const SETTLE_STALL_MS = 180_000;
export const CPO_STAFF = { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' };

export interface TWorkerConfig {
  label: string;
  tuned: TTunedWorkerOptions;
  /** The worker's V8 heap limit (`--max-old-space-size`), which also bounds its workflow thread's heap. */
  heapMb?: number;
}

export interface TOptions {
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
                           SPEC is "default" (the configuration's defaults: cache 200) or comma-separated
                           key=value: cache (maxCachedWorkflows),
                           wft (maxConcurrentWorkflowTaskExecutions), act (maxConcurrentActivityTaskExecutions),
                           wftPolls, actPolls, reuse (reuseV8Context: true|false), threads (workflowThreadPoolSize),
                           eager (maxEagerActivityReservationsPerWorkflowTask; 0: activities never start eagerly),
                           heap (the worker's --max-old-space-size in MB, which bounds its workflow thread too)

Smoke run: npm run bench:engine -- --trivial 200 --lifecycles 20 --latency 10 --open 200 --pdf 50`;

const WORKER_KEYS: Record<string, keyof TTunedWorkerOptions> = {
  cache: 'maxCachedWorkflows',
  wft: 'maxConcurrentWorkflowTaskExecutions',
  act: 'maxConcurrentActivityTaskExecutions',
  wftpolls: 'maxConcurrentWorkflowTaskPolls',
  actpolls: 'maxConcurrentActivityTaskPolls',
  reuse: 'reuseV8Context',
  threads: 'workflowThreadPoolSize',
  eager: 'maxEagerActivityReservationsPerWorkflowTask',
  maxcachedworkflows: 'maxCachedWorkflows',
  maxconcurrentworkflowtaskexecutions: 'maxConcurrentWorkflowTaskExecutions',
  maxconcurrentactivitytaskexecutions: 'maxConcurrentActivityTaskExecutions',
  maxconcurrentworkflowtaskpolls: 'maxConcurrentWorkflowTaskPolls',
  maxconcurrentactivitytaskpolls: 'maxConcurrentActivityTaskPolls',
  reusev8context: 'reuseV8Context',
  workflowthreadpoolsize: 'workflowThreadPoolSize',
  maxeageractivityreservationsperworkflowtask: 'maxEagerActivityReservationsPerWorkflowTask',
};

function parseWorkerSpec(spec: string): TWorkerConfig {
  const text = spec.trim();
  if (text === '' || text === 'default') return { label: 'default', tuned: {} };
  const tuned: Record<string, number | boolean> = {};
  let heapMb: number | undefined;
  for (const pair of text.split(',')) {
    const [rawKey, rawValue] = pair.split('=').map((part) => part.trim());
    if (rawKey?.toLowerCase() === 'heap') {
      heapMb = Number(rawValue);
      if (!Number.isInteger(heapMb) || heapMb < 64) throw new Error(`--worker ${spec}: heap must be a whole number of MB, at least 64`);
      continue;
    }
    const key = WORKER_KEYS[(rawKey ?? '').toLowerCase()];
    if (!key || rawValue === undefined)
      throw new Error(`--worker ${spec}: "${pair}" is not key=value with a key of ${Object.keys(WORKER_KEYS).slice(0, 8).join(', ')}`);
    if (key === 'reuseV8Context') {
      if (rawValue !== 'true' && rawValue !== 'false') throw new Error(`--worker ${spec}: reuse must be true or false`);
      tuned[key] = rawValue === 'true';
    } else {
      const value = Number(rawValue.replace(/_/g, ''));
      if (!Number.isInteger(value) || value < 0) throw new Error(`--worker ${spec}: ${rawKey} must be a whole number`);
      tuned[key] = value;
    }
  }
  return { label: text, tuned, ...(heapMb ? { heapMb } : {}) };
}

export function parseOptions(argv: string[]): TOptions {
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
  if (openStage !== 'prerequisites' && openStage !== 'signature')
    throw new Error(`--open-stage ${openStage}: must be prerequisites or signature`);
  const workers = (values.worker ?? ['default', 'cache=100']).map(parseWorkerSpec);
  if (new Set(workers.map((w) => w.label)).size !== workers.length) throw new Error('--worker: the same configuration is given twice');
  return {
    trivial: count('trivial', values.trivial),
    trivialInFlight: count('trivial-in-flight', values['trivial-in-flight'], 1),
    lifecycles: count('lifecycles', values.lifecycles),
    lifecycleInFlight: count('lifecycle-in-flight', values['lifecycle-in-flight'], 1),
    latency: count('latency', values.latency),
    partners: count('partners', values.partners, 1),
    open: [...new Set(open)].sort((a, b) => a - b),
    openStage,
    pdf: count('pdf', values.pdf),
    workers,
    inMemory: values['in-memory'] === true,
  };
}

import { performance } from 'node:perf_hooks';
import type { TPartnerListing } from '../../client/search/search-partners';
import type { TContractListing } from '../../client/search/search-contracts';
import type { TPipelineBoard } from '../../client/search/pipeline-board';
import type { TDirectory } from '../../client/search/summarize-directory';
import { sleep } from '../lib/stats';
import { LoadTally } from './bench-data';
import { HEAVY_SAMPLES, HEAVY_WARM_UP, MAX_ATTEMPTS_ON_503, STAFF, WARM_UP_REQUESTS } from './options';

// Measurement over HTTP: the dashboard's endpoints, timed.

export class DashboardClient {
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

export function dashboardEndpoints(tally: LoadTally, samples: number, session: DashboardClient, basic: DashboardClient): TEndpoint[] {
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
    {
      name: 'contracts, first page',
      client: session,
      ...usual,
      pathFor: () => `/api/contracts?${query({ pageSize: 50 })}`,
      check: firstPage,
    },
    {
      name: 'contracts by school',
      client: session,
      ...usual,
      pathFor: (i) => `/api/contracts?${query({ school: rotate(schools, i) })}`,
      check: someContracts,
    },
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
        requireThat(
          listings.every((l) => l.organizationName.toLowerCase().includes(word)),
          at,
          `a contract whose partner name lacks "${word}"`,
        );
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
    {
      name: 'directory of one school',
      client: session,
      ...usual,
      pathFor: (i) => `/api/directory/schools/${encodeURIComponent(rotate(schools, i))}`,
      check: someDirectory,
    },
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
    {
      name: 'contracts, first page (HTTP Basic)',
      client: basic,
      ...heavy,
      pathFor: () => `/api/contracts?${query({ pageSize: 50 })}`,
      check: firstPage,
    },
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

export interface TEndpointResult extends TLatency {
  name: string;
  example: string;
  samples: number;
}

/** Sequential requests: the warm-up ones are checked but not counted. */
export async function measureEndpoint(endpoint: TEndpoint): Promise<TEndpointResult> {
  const durations: number[] = [];
  for (let i = 0; i < endpoint.warmUp + endpoint.samples; i++) {
    const at = endpoint.pathFor(i);
    const { ms, body } = await endpoint.client.timedGet(at);
    endpoint.check(body, at);
    if (i >= endpoint.warmUp) durations.push(ms);
  }
  return { name: endpoint.name, example: endpoint.pathFor(0), samples: endpoint.samples, ...summarize(durations) };
}

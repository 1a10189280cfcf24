import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TTemporalBackend } from '../../scripts/temporal-backend';
import type { TEndpointResult } from './measure';
import { HEAVY_WARM_UP, RESULTS_DIR, WARM_UP_REQUESTS } from './options';

// The report of one level: markdown and the JSON results file.

export interface TLevelResult {
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

const megabytes = (bytes: number | null): string =>
  bytes === null || Number.isNaN(bytes) ? 'n/a' : `${Math.round(bytes / 1024 / 1024)} MB`;
export const thousands = (n: number): string => n.toLocaleString('en-US');
export const ms = (value: number): string => value.toFixed(1);

export function markdownReport(result: TLevelResult): string {
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

export async function writeResultFile(result: TLevelResult, stack: TTemporalBackend): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `dashboard-${stack === 'production' ? 'production-' : ''}${result.contracts}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function machineInfo(): TLevelResult['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

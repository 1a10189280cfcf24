import type { TCpoContext } from '../../client/context';
import { CpoRefusedError, CpoUnavailableError } from '../../client/errors';
import { startContract } from '../../client/contracts';
import { readCpuSeconds, readMemory, watchMemory } from '../lib/proc';
import { fixed, megabytes, nowMs, percent, runWithConcurrency, sleep, thousands } from '../lib/stats';
import type { TWorkerStatusReport } from '../lib/worker-protocol';
import type { TWorkerProcess } from '../lib/worker-process';
import { contractDates, contractIdOf, contractRequest, partnerApplications, registerPartners } from './bench-data';
import {
  OPEN_PARTNERS,
  OPEN_STARTS_IN_FLIGHT,
  SETTLE_IDLE_CPU_SHARE,
  SETTLE_QUIET_SECONDS,
  SETTLE_STALL_MS,
  type TOptions,
  type TWorkerConfig,
} from './options';
import { type TBench, startWorker, stopWorker } from './system';

// (e) Open contracts and worker memory.

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

export interface TOpenResult {
  taskQueue: string;
  stage: 'awaiting_prerequisites' | 'awaiting_partner_signature';
  partners: number;
  heapLimitBytes: number;
  idleRssBytes: number | null;
  levels: TOpenLevel[];
}

/**
 * Settled: visibility shows every contract of the level in the stage (and, waiting for signature, every request
 * emailed), and the worker has nothing in flight and uses under 5% of a core, for 3 seconds in a row.
 */
async function waitUntilSettled(
  bench: TBench,
  worker: TWorkerProcess,
  taskQueue: string,
  stage: TOpenResult['stage'],
  expected: number,
  emailsBefore: number,
): Promise<number> {
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

export async function openPhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TOpenResult | null> {
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
        if (done % reportEvery === 0)
          console.log(`  started ${thousands(total + done)}/${thousands(level)} (${fixed(done / ((nowMs() - started) / 1000))}/s)`);
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
        settled && idleRssBytes !== null && status.numCachedWorkflows > 0
          ? (settled.rssBytes - idleRssBytes) / status.numCachedWorkflows
          : null,
      mainThread: {
        heapUsedBytes: status.memory.heapUsed,
        externalBytes: status.memory.external,
        arrayBuffersBytes: status.memory.arrayBuffers,
      },
    });
    total = level;
    console.log(
      `  ${thousands(level)} open: worker RSS ${megabytes(settled?.rssBytes)} (${thousands(status.numCachedWorkflows)} workflows cached; idle ${megabytes(idleRssBytes)})`,
    );
  }
  await stopWorker(bench, worker);
  return { taskQueue, stage, partners: partners.length, heapLimitBytes: worker.heapLimitBytes, idleRssBytes, levels };
}

import type { TCpoContext } from '../../client/context';
import { signContract, startContract } from '../../client/contracts';
import { resolveDistrictSigner } from '../../domain/contract-rules';
import type { TContractRequestInput } from '../../domain/schemas/contract';
import { contractWorkflowId } from '../../domain/vocabulary';
import { summarizeTaskQueue, within, type TRunSummary } from '../lib/histories';
import { MailBox, mailKey } from '../lib/mailbox';
import { CpuMeter } from '../lib/proc';
import { distribution, fixed, nowMs, pollUntil, runWithConcurrency, sleep, thousands, type TDistribution } from '../lib/stats';
import { contractDates, contractIdOf, contractRequest, partnerApplications, registerPartners } from './bench-data';
import type { TOptions, TWorkerConfig } from './options';
import { type TBench, startWorker, stopWorker } from './system';
import { type TCpuFigures, cpuFigures } from './trivial';

// (b) and (c) Contract lifecycles.

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
async function driveLifecycle(
  context: TCpoContext,
  mail: MailBox,
  request: TContractRequestInput,
  district: { name: string; email: string },
): Promise<TLifecycleTiming> {
  const id = request.contractId;
  const startCallMs = nowMs();
  await startContract(context, request);
  const startedMs = nowMs();
  const partnerAskedMs = await mail.waitFor(mailKey(id, 'signature_request', 1));
  await signContract(context, id, {
    role: 'partner',
    name: request.partnerSigner.name,
    email: request.partnerSigner.email,
    consent: true,
    method: 'cli',
  });
  const partnerSignedMs = nowMs();
  const districtAskedMs = await mail.waitFor(mailKey(id, 'signature_request', 2));
  const countersignCallMs = nowMs();
  await signContract(context, id, { role: 'district', name: district.name, email: district.email, consent: true, method: 'cli' });
  const countersignedMs = nowMs();
  const executedMailMs = await mail.waitFor(mailKey(id, 'contract_executed'));
  const liveMailMs = await mail.waitFor(mailKey(id, 'contract_live'));
  return {
    contractId: id,
    startCallMs,
    startedMs,
    partnerAskedMs,
    partnerSignedMs,
    districtAskedMs,
    countersignCallMs,
    countersignedMs,
    executedMailMs,
    liveMailMs,
  };
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

export interface TLifecycleResult {
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
  const contracts = timings
    .map((t) => byWorkflowId.get(contractWorkflowId(t.contractId)))
    .filter((run): run is TRunSummary => Boolean(run));
  if (contracts.length < timings.length)
    console.warn(`  Warning: ${timings.length - contracts.length} contract histories were not listed by visibility`);
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
    activities: {
      contractPdf: took('generateContractPdf'),
      sealedPdf: took('generateExecutedContractPdf'),
      email: took('sendNotification'),
    },
    sealedPdfQueueWait: distribution(
      activityRuns.filter((a) => a.name === 'generateExecutedContractPdf').map((a) => a.startedMs - a.scheduledMs),
    ),
    cpu,
    workerCpuMsPerTask: cpu.workerSeconds === null || tasks === 0 ? null : (cpu.workerSeconds * 1000) / tasks,
  };
}

export async function lifecyclePhase(bench: TBench, options: TOptions, config: TWorkerConfig, k: number): Promise<TLifecycleResult | null> {
  if (options.lifecycles === 0 && options.latency === 0) return null;
  console.log(
    `\n(b)(c) Contract lifecycles, worker "${config.label}": ${thousands(options.lifecycles)} with ${options.lifecycleInFlight} in flight, then ${options.latency} one at a time`,
  );
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
  await pollUntil('every contract listed by visibility', async () => (await listed()) >= expectedContracts, 30_000, 1000).catch(
    (error: Error) => console.warn(`  Warning: ${error.message}`),
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
  for (const [name, figures] of [
    ['under load', result.loaded],
    ['one at a time', result.unloaded],
  ] as const) {
    if (!figures) continue;
    console.log(
      `  ${name}: ${fixed(figures.lifecyclesPerSecond, 2)} lifecycles/s, ${fixed(figures.workflowTasksPerSecond)} workflow tasks/s ` +
        `(${fixed(figures.tasksPerLifecycle)} per lifecycle); signature to executed median ${fixed(figures.signatureToExecuted?.medianMs)} ms, p99 ${fixed(figures.signatureToExecuted?.p99Ms)} ms`,
    );
  }
  return result;
}

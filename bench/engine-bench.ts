// Engine benchmark: on a real Temporal dev server (SQLite file, as `npm start`) with the worker as a child process,
// in one run: (a) the throughput of a trivial workflow, the engine's limit on this machine; (b) the throughput of full
// contract lifecycles with real PDFs and emails, in workflow tasks per second and as a ratio to (a); (c) the
// signature-to-executed latency; (d) PDF generation time; (e) worker memory at 1,000 and 10,000 open contracts. Each
// worker configuration given with --worker runs (a), (b)-(c) and (e) on its own task queues; (d) runs once.
//
//   npm run bench:engine -- [--trivial 2000] [--lifecycles 200] [--latency 100] [--open 1000,10000]
//                           [--worker default --worker cache=100] [--pdf 200]
//   npm run bench:engine -- --trivial 200 --lifecycles 20 --latency 10 --open 200 --pdf 50   # smoke run
import path from 'node:path';
import { loadPolicy } from '../config/load-policy';
import { findTemporalCli } from '../scripts/temporal-cli';
import { runBenchmark, type CleanupStack } from './lib/cleanup';
import { readMachineCpu, busyShare } from './lib/proc';
import { fixed, nowMs, percent, sleep } from './lib/stats';
import { lifecyclePhase } from './engine/lifecycles';
import { openPhase } from './engine/open-contracts';
import { GOALS, POLICY_FILE, type TOptions, parseOptions } from './engine/options';
import { NON_LATIN_NAMES, type TPdfResult, measurePdfs } from './engine/pdf';
import { type TConfigResult, type TEngineResult, machineInfo, report, writeResultFile } from './engine/report';
import { startSystem } from './engine/system';
import { trivialPhase } from './engine/trivial';

async function main(options: TOptions, cleanup: CleanupStack): Promise<void> {
  const runStarted = nowMs();
  const measuredAt = new Date().toISOString();
  const cpuBefore = readMachineCpu();
  await sleep(1000);
  const busyBeforeRun = busyShare(cpuBefore, readMachineCpu());
  console.log(
    `Engine benchmark: worker configurations ${options.workers.map((w) => `"${w.label}"`).join(', ')}; machine ${percent(busyBeforeRun)} busy before starting`,
  );

  let pdf: TPdfResult | null = null;
  let pdfNonLatin: TPdfResult | null = null;
  if (options.pdf > 0) {
    // First, in this process, while nothing else of the benchmark runs.
    console.log(`\n(d) PDF generation in process: ${options.pdf} iterations of each after 20 warm-ups`);
    pdf = await measurePdfs(loadPolicy(POLICY_FILE), options.pdf);
    console.log(
      `  contract PDF median ${fixed(pdf.contractPdf.medianMs)} ms, sealed and signed PDF median ${fixed(pdf.sealedPdf.medianMs)} ms (p95 ${fixed(pdf.sealedPdf.p95Ms)} ms)`,
    );
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

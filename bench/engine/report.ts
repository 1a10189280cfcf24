import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixed, megabytes, percent, thousands, type TDistribution } from '../lib/stats';
import type { TTunedWorkerOptions } from '../lib/worker-protocol';
import type { TLifecycleResult } from './lifecycles';
import type { TOpenResult } from './open-contracts';
import { GOALS, RESULTS_DIR, type TOptions } from './options';
import type { TPdfResult } from './pdf';
import type { TCpuFigures, TTrivialResult } from './trivial';

// The report: markdown and the JSON results file.

export interface TConfigResult {
  label: string;
  tuned: TTunedWorkerOptions;
  trivial: TTrivialResult | null;
  lifecycle: TLifecycleResult | null;
  /** (b) workflow tasks/s over (a)'s, same worker configuration. */
  lifecycleTaskRatio: number | null;
  open: TOpenResult | null;
}

export interface TEngineResult {
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
      (c) =>
        withVerdict(
          fixed(c.lifecycleTaskRatio, 2),
          c.lifecycleTaskRatio === null ? null : c.lifecycleTaskRatio >= GOALS.lifecycleTaskRatio,
        ),
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
    row(
      '(c) signature → executed, median / p99 ms (one at a time)',
      (c) => `${ms(unloaded(c)?.signatureToExecuted)} / ${ms(unloaded(c)?.signatureToExecuted, 'p99Ms')}`,
    ),
    row(
      '(c) countersign returned → executed email, median / p99 ms (under load)',
      (c) => `${ms(loaded(c)?.countersignToExecutedEmail)} / ${ms(loaded(c)?.countersignToExecutedEmail, 'p99Ms')}`,
    ),
    row(
      '(d) contract PDF activity, median / p95 ms (under load)',
      (c) => `${ms(loaded(c)?.activities.contractPdf)} / ${ms(loaded(c)?.activities.contractPdf, 'p95Ms')}`,
    ),
    row(
      '(d) sealed PDF activity, median / p95 ms (under load)',
      (c) => `${ms(loaded(c)?.activities.sealedPdf)} / ${ms(loaded(c)?.activities.sealedPdf, 'p95Ms')}`,
    ),
    row(
      '(d) sealed PDF activity, median / p95 ms (one at a time)',
      (c) => `${ms(unloaded(c)?.activities.sealedPdf)} / ${ms(unloaded(c)?.activities.sealedPdf, 'p95Ms')}`,
    ),
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
  if (!levels.includes(goalLevel) && levels.length > 0)
    rows.push(row(`(e) worker RSS at ${thousands(goalLevel)} open`, () => 'not measured', `< ${megabytes(GOALS.workerRssBytes)}`));
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

export function report(result: TEngineResult): string {
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
    if (c.open)
      lines.push(
        `  (e) SDK default cache for this heap (${megabytes(c.open.heapLimitBytes)}): ${thousands(Math.max(Math.floor((Math.max(c.open.heapLimitBytes / 2 ** 20 - 200, 0) * 600) / 1024), 10))} workflows when reuseV8Context is on`,
      );
  }
  return lines.join('\n');
}

export function machineInfo(busyBeforeRun: number | null): TEngineResult['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    busyBeforeRun,
  };
}

export async function writeResultFile(result: TEngineResult): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `engine-${result.measuredAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

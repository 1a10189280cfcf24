// The reliability suite at full size: `npm run reliability -- [--scenario worker-crash|server-restart|smtp-outage|email-reply-restart|storage-outage|stack-faults]
// [--contracts 200] [--kills 25] [--seed 7] [--stack dev|production]`. Each scenario gets a fresh system (see stack.ts) and prints its
// figures; the run exits 1 when a check fails. A smaller run of each is part of `npm test` (test/reliability/).
// `--stack production` runs the Temporal server on PostgreSQL with two workers and the S3 store; its default scenario is
// stack-faults (a worker SIGKILLed, PostgreSQL restarted, the Temporal server restarted).
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatZodError } from '../domain/format-zod-error';
import { findProblems, signerProblems } from './find-problems';
import { replyProblems, runEmailReplyRestartScenario, type TEmailReplyRestartReport } from './scenarios/email-reply-restart';
import { runServerRestartScenario } from './scenarios/server-restart';
import { runSmtpOutageScenario } from './scenarios/smtp-outage';
import { runStackFaultsScenario, stackFaultsProblems, type TStackFaultsReport } from './scenarios/stack-faults';
import { runStorageOutageScenario } from './scenarios/storage-outage';
import { runWorkerCrashScenario } from './scenarios/worker-crash';
import { startReliabilityStack } from './stack';
import { TEMPORAL_BACKENDS } from '../scripts/temporal-backend';

const DEV_SCENARIOS = ['worker-crash', 'server-restart', 'smtp-outage', 'email-reply-restart', 'storage-outage'] as const;
const SCENARIOS = [...DEV_SCENARIOS, 'stack-faults'] as const;

const ZOptionsSchema = z
  .object({
    stack: z.enum(TEMPORAL_BACKENDS).default('dev'),
    scenario: z.array(z.enum(SCENARIOS)).optional(),
    contracts: z.coerce.number().int().min(1).max(10_000).default(200),
    partners: z.coerce.number().int().min(1).max(500).default(20),
    seed: z.coerce.number().int().default(7),
    /** Worker kills in the crash scenario, at random moments; then the run finishes undisturbed. */
    kills: z.coerce.number().int().min(1).max(1_000).default(25),
    verbose: z.boolean().default(false),
  })
  .transform(({ scenario, ...options }) => ({
    ...options,
    scenario: scenario ?? (options.stack === 'production' ? ['stack-faults' as const] : [...DEV_SCENARIOS]),
  }))
  .refine((options) => options.stack === 'production' || !options.scenario.includes('stack-faults'), {
    path: ['scenario'],
    message: 'stack-faults restarts PostgreSQL: it needs --stack production',
  });

const USAGE = `npm run reliability -- [--scenario ${SCENARIOS.join('|')}] (repeatable)
  [--contracts 200] [--partners 20] [--kills 25] [--seed 7] [--stack ${TEMPORAL_BACKENDS.join('|')}] [--verbose]`;

const readArgs = () =>
  parseArgs({
    options: {
      stack: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      contracts: { type: 'string' },
      partners: { type: 'string' },
      seed: { type: 'string' },
      kills: { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });

async function main(): Promise<number> {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { help, ...values } = args.values;
  if (help) {
    console.log(USAGE);
    return 0;
  }
  const parsed = ZOptionsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`Invalid options: ${formatZodError(parsed.error)}`);
    return 2;
  }
  const options = parsed.data;
  const log = (line: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${line}`);
  const quietLog = options.verbose ? log : undefined;
  const results: Record<string, unknown> = {};
  let failed = false;
  for (const scenario of options.scenario) {
    console.log(`\n== ${scenario} (${options.stack} stack): ${options.contracts} contracts, ${options.partners} partners`);
    const production = options.stack === 'production';
    // Production: the Temporal server on PostgreSQL, two workers sharing documents through the S3 store.
    const stack = await startReliabilityStack({
      ...(quietLog ? { log: quietLog } : {}),
      temporal: options.stack,
      workers: production ? 2 : 1,
      s3: production || scenario === 'storage-outage',
    });
    // Ctrl+C still stops the dev server and the worker and deletes the temporary folder.
    const interrupted = () => void stack.close().finally(() => process.exit(130));
    process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
    try {
      const common = { contracts: options.contracts, partners: options.partners, timeoutMs: 30 * 60_000, log };
      const run = {
        'worker-crash': () =>
          runWorkerCrashScenario(stack, { ...common, killAfterMs: [2_000, 12_000], maxKills: options.kills, seed: options.seed }),
        'server-restart': () => runServerRestartScenario(stack, { ...common, downMs: 15_000 }),
        'smtp-outage': () => runSmtpOutageScenario(stack, { ...common, downMs: 30_000 }),
        'email-reply-restart': () => runEmailReplyRestartScenario(stack, { ...common, downMs: 15_000 }),
        'storage-outage': () => runStorageOutageScenario(stack, { ...common, downMs: 60_000 }),
        'stack-faults': () => runStackFaultsScenario(stack, { ...common, downMs: 10_000 }),
      } satisfies Record<(typeof SCENARIOS)[number], () => Promise<unknown>>;
      const report = await run[scenario]();
      results[scenario] = report;
      console.log(JSON.stringify(report, null, 2));
      const problems = [
        ...findProblems(report),
        ...signerProblems(report.signer),
        ...(scenario === 'email-reply-restart' ? replyProblems(report as TEmailReplyRestartReport) : []),
        ...(scenario === 'stack-faults' ? stackFaultsProblems(report as TStackFaultsReport, stack.workers.length) : []),
      ];
      if (problems.length > 0) {
        failed = true;
        console.error(`FAILED ${scenario}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      } else console.log(`PASSED ${scenario}`);
    } catch (error) {
      failed = true;
      console.error(`FAILED ${scenario}: ${(error as Error).stack ?? String(error)}`);
    } finally {
      process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
      await stack.close();
    }
  }
  const resultsDir = path.join(__dirname, 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    path.join(resultsDir, `reliability-${options.stack === 'production' ? 'production-' : ''}${options.contracts}.json`),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

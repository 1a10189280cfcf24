// Dashboard benchmark: starts N contracts on a real Temporal dev server (SQLite file, as `npm start`), with the
// worker as a child process and the HTTP server in this process, then measures the dashboard's list and search
// latency over HTTP and the worker's memory. Levels grow the same server: 1,000 contracts, then 9,000 more.
//
//   npm run bench:dashboard -- [--contracts 1000 --contracts 10000] [--samples 200] [--stack dev|production]
// `--stack production`: the Temporal server on PostgreSQL with SQL visibility on PostgreSQL (scripts/temporal-backend.ts).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFolderDocumentStore } from '../activities/storage/document-store';
import { connectCpo } from '../client/context';
import { parseEnv } from '../config/env';
import { seededRandom } from '../scripts/seeded-random';
import { startTemporalBackend } from '../scripts/temporal-backend';
import { hashStaffPassword } from '../security/staff-password';
import { createServer } from '../server/create-server';
import { CleanupStack, runBenchmark } from './lib/cleanup';
import { readMemory, watchMemory } from './lib/proc';
import { LoadTally, makeContractRequest, makePartners, partnerFor } from './dashboard/bench-data';
import { registerPartners, startContracts, waitUntilSettled } from './dashboard/load';
import { DashboardClient, type TEndpointResult, dashboardEndpoints, measureEndpoint } from './dashboard/measure';
import { STAFF, STARTS_IN_FLIGHT, TARGET_P95_MS, type TOptions, parseOptions } from './dashboard/options';
import { type TLevelResult, machineInfo, markdownReport, ms, thousands, writeResultFile } from './dashboard/report';
import { serverLogCollector, startMailCounter, startWorkerProcess } from './dashboard/system';

async function main(options: TOptions, cleanup: CleanupStack): Promise<void> {
  console.log(`Dashboard benchmark: levels ${options.levels.map(thousands).join(', ')} contracts, ${options.samples} samples per endpoint`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-bench-'));
  cleanup.add('the temporary data folder', () => rm(dataDir, { recursive: true, force: true }));

  const backend = await startTemporalBackend(options.stack, dataDir);
  const { temporal } = backend;
  cleanup.add('the Temporal server', () => backend.close());

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
      users: [
        {
          username: STAFF.username,
          name: STAFF.name,
          email: STAFF.email,
          passwordHash: hashStaffPassword(STAFF.password),
          access: { role: 'cpo' },
        },
      ],
      sessionSecret: randomBytes(32).toString('base64url'),
      secureCookies: false,
    },
  });
  const baseUrl = await http.listen({ host: '127.0.0.1', port: 0 });
  cleanup.add('the HTTP server', () => http.close());

  const worker = await startWorkerProcess({ ...process.env, ...benchEnv, CPO_PUBLIC_URL: baseUrl });
  cleanup.add('the worker', () => worker.stop());
  const idleRssBytes = readMemory(worker.pid)?.rssBytes ?? null;
  console.log(
    `Temporal ${temporal.address} (${options.stack === 'production' ? 'PostgreSQL' : 'SQLite'} in ${dataDir}), HTTP ${baseUrl}, SMTP 127.0.0.1:${smtpPort}, worker pid ${worker.pid}`,
  );

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
    const start = await Promise.race([
      startContracts(
        cpo.context,
        requests.map(({ request }) => request),
      ),
      worker.crashed,
    ]);
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
      start: {
        contracts: requests.length,
        seconds: start.seconds,
        perSecond: start.perSecond,
        inFlight: STARTS_IN_FLIGHT,
        retried: start.retried,
      },
      settleSeconds,
      worker: {
        rssBytes: settled?.rssBytes ?? null,
        idleRssBytes,
        peakSampledRssBytes: memory.peakBytes(),
        highWaterRssBytes: settled?.highWaterBytes ?? null,
      },
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

runBenchmark(parseOptions, main);

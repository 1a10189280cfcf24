// `npm run stack`: the production topology of docker-compose.yml without containers. A PostgreSQL cluster of its own,
// the Temporal server on it (schemas by Temporal's SQL tool, config and dynamic config from deploy/, search attributes
// registered through the operator API), the S3 document store, Mailpit, two workers and the web process as separate
// processes, all on free loopback ports in a temporary folder. Ctrl+C stops everything and deletes the folder.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDevelopmentStaffFile } from '../config/load-staff-users';
import { startS3Server } from './s3-server';
import { freePort } from './free-port';
import { startMailpit } from './mailpit';
import { startPostgresCluster } from './postgres-cluster';
import { createSelfSignedP12 } from '../config/load-signing-credential';
import { loadPolicy } from '../config/load-policy';
import { appEnvironment, SHARED_APP_SETTINGS, STACK_WORKERS, webEnvironment } from './stack-environment';
import { findStackTools, MAILPIT, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from './stack-tools';
import { startSupervisedProcess } from './supervised-process';
import { setUpTemporalSchemas, startTemporalOnPostgres } from './temporal-stack';

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  const log = (line: string) => console.log(line);
  const tools = findStackTools();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cpo-stack-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => console.error(`While stopping: ${error.message}`));
  };
  try {
    const started = Date.now();
    const postgres = await startPostgresCluster(path.join(dataDir, 'postgres'), log);
    cleanups.push(() => postgres.stop());
    await setUpTemporalSchemas(tools.get(TEMPORAL_SQL_TOOL)!, postgres);
    log('Temporal schemas created and updated (persistence and visibility)');
    const temporal = await startTemporalOnPostgres(tools.get(TEMPORAL_SERVER)!, postgres, verbose ? log : undefined);
    cleanups.push(() => temporal.stop());
    const s3 = await startS3Server();
    cleanups.push(() => s3.close());
    const mailpit = await startMailpit(tools.get(MAILPIT)!, dataDir);
    cleanups.push(() => mailpit.stop());

    const staffFile = path.join(dataDir, 'staff.json');
    const staff = ensureDevelopmentStaffFile(staffFile);
    const app = appEnvironment({
      temporalAddress: temporal.address,
      smtpPort: mailpit.smtpPort,
      s3: {
        endpoint: s3.env.CPO_S3_ENDPOINT!,
        accessKeyId: s3.env.CPO_S3_ACCESS_KEY_ID!,
        secretAccessKey: s3.env.CPO_S3_SECRET_ACCESS_KEY!,
      },
      signingSecret: randomBytes(32).toString('base64url'),
      // Production mode requires the district's certificate: a self-signed one for this stack (compose takes the real one).
      signingP12Base64: Buffer.from(createSelfSignedP12(loadPolicy(SHARED_APP_SETTINGS.CPO_POLICY_FILE).district)).toString('base64'),
      httpPort: await freePort(),
      repliesPort: await freePort(),
      dataDir,
    });
    const env = { PATH: process.env.PATH, ...app };
    const workers = Array.from({ length: STACK_WORKERS }, () =>
      startSupervisedProcess({ script: 'worker/main.ts', readyPrefix: 'Worker polling task queue', env, ...(verbose ? { log } : {}) }),
    );
    for (const worker of workers) {
      cleanups.push(() => worker.stop());
      await worker.start();
    }
    const web = startSupervisedProcess({
      script: 'server/main.ts',
      readyPrefix: 'Dashboard and signing pages on',
      env: { PATH: process.env.PATH, ...webEnvironment(app, staffFile) },
      ...(verbose ? { log } : {}),
    });
    cleanups.push(() => web.stop());
    await web.start();

    console.log(`
Production stack running (started in ${Math.round((Date.now() - started) / 1000)} s; data in ${dataDir}, deleted on stop)
  Dashboard          ${app.CPO_PUBLIC_URL}/dashboard  (staff ${staff.username}, password ${staff.password})
  Mailpit            ${mailpit.webUrl}  (API ${mailpit.webUrl}/api/v1/messages; SMTP 127.0.0.1:${mailpit.smtpPort})
  Temporal server    ${temporal.address}  (PostgreSQL persistence and visibility; cpo CLI: TEMPORAL_ADDRESS=${temporal.address})
  PostgreSQL         ${postgres.host}:${postgres.port}  (user ${postgres.user})
  S3 documents       ${app.CPO_S3_ENDPOINT}  (bucket ${app.CPO_S3_BUCKET})
  Workers            ${STACK_WORKERS} processes on task queue ${app.TEMPORAL_TASK_QUEUE}
  Email replies      SMTP 127.0.0.1:${app.CPO_INBOUND_SMTP_PORT}

Press Ctrl+C to stop.`);
  } catch (error) {
    await close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nStopping the stack...');
  await close();
  console.log('Stopped.');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

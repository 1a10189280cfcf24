// `npm start`: the whole system on the embedded default. A Temporal dev server keeping its state in a SQLite
// file in data/, a local SMTP catcher (no mail server needed), the signing pages, the listener for email replies,
// and the worker; then how to drive a demo.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import { connectCpo } from '../client/context';
import { currentYearTerm } from '../domain/plan-term';
import { startEndpoints } from '../server/start-endpoints';
import { createCpoWorker } from '../worker/create-worker';
import { startDevServer } from './dev-server';
import { SmtpCatcher } from './smtp-catcher';
import { findTemporalCli } from './temporal-cli';

async function main(): Promise<void> {
  const env = parseEnv();
  const policy = loadPolicy(env.CPO_POLICY_FILE);
  mkdirSync(env.CPO_DATA_DIR, { recursive: true });

  const cli = findTemporalCli();
  if (!cli) throw new ConfigError('No Temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or install Go');
  const [host, port] = env.TEMPORAL_ADDRESS.split(':');
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new ConfigError(`npm start runs its own server on loopback; TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS} is not local`);
  }
  const server = await startDevServer({
    cliPath: cli.path,
    port: Number(port),
    uiPort: Number(port) + 1000,
    dbFilename: path.join(env.CPO_DATA_DIR, 'temporal.sqlite'),
  });

  const mailDir = path.join(env.CPO_DATA_DIR, 'mail');
  const catcher = new SmtpCatcher({
    saveDir: mailDir,
    onMessage: (mail) => console.log(`[mail] to ${mail.envelopeTo.join(', ')}: ${mail.parsed.subject}`),
  });
  await catcher.listen(env.SMTP_PORT, env.SMTP_HOST);

  const { worker, close: closeWorker } = await createCpoWorker(env);
  const cpo = connectCpo(env);
  const endpoints = await startEndpoints(env, cpo.context, { log: (line) => console.log(line) });
  const { repliesPort } = endpoints;
  const shutdown = (): void => worker.shutdown();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);

  // The demo contract covers the current school year (whichever day this runs), so it goes live once signed.
  const term = currentYearTerm(cpo.context.now(), policy);
  const demoId = `hoi-reading-${term.schoolYear}`;
  console.log(`
Contracting pipeline running (${policy.district}, policy ${policy.policyId} ${policy.version})
  Temporal server  ${server.address}  (state in ${path.join(env.CPO_DATA_DIR, 'temporal.sqlite')})
  Temporal Web UI  ${server.uiUrl}
  SMTP catcher     ${env.SMTP_HOST}:${env.SMTP_PORT}  (messages saved in ${mailDir})
  Worker           task queue ${env.TEMPORAL_TASK_QUEUE}
  Dashboard        ${env.CPO_PUBLIC_URL}/dashboard (staff accounts: ${env.CPO_STAFF_FILE ?? path.join(env.CPO_DATA_DIR, 'staff.json')})
  Signing pages    ${env.CPO_PUBLIC_URL}/sign/… (the links are in the emails)
  Email replies    SMTP ${env.CPO_INBOUND_SMTP_HOST}:${repliesPort} for sign+<token>@${env.CPO_REPLY_DOMAIN} (the Reply-To of each request)

Drive a demo contract from another terminal:
  ./bin/cpo partner apply --partner-id hoi-nguoi-viet --organization-name "Hội Người Việt Tutoring" \\
      --representative-name "Lan Nguyễn" --representative-title "Director" --representative-email lan@hoi.example --service literacy_tutoring
  ./bin/cpo partner review --partner-id hoi-nguoi-viet --reviewer "CPO Staff"
  ./bin/cpo partner certify --partner-id hoi-nguoi-viet --reviewer "CPO Staff" --meets all
  ./bin/cpo partner attest --partner-id hoi-nguoi-viet --name "Lan Nguyễn" --title Director --email lan@hoi.example --consent
  ./bin/cpo contract start --contract-id ${demoId} --partner-id hoi-nguoi-viet --program-name "After-school reading" \\
      --service literacy_tutoring --school "Anwatin Middle" --school "Folwell Middle" --route zero_dollar --amount 0 \\
      --start-date ${term.startDate} --end-date ${term.endDate} --initiated-by-name "CPO Staff" --initiated-by-email cpo@mpls.k12.mn.us \\
      --partner-signer-name "Lan Nguyễn" --partner-signer-email lan@hoi.example
  ./bin/cpo program start --contract-id ${demoId} --by-name "Principal"      # refused: not signed yet
  # sign through the link in the email (data/mail/*.eml), by replying to it (send the reply to SMTP
  # ${env.CPO_INBOUND_SMTP_HOST}:${repliesPort}, to its Reply-To, from lan@hoi.example, saying "I agree to sign. Name: Lan Nguyễn"),
  # or record it from the CLI:
  ./bin/cpo contract sign --contract-id ${demoId} --role partner --name "Lan Nguyễn" --email lan@hoi.example --consent
  ./bin/cpo contract sign --contract-id ${demoId} --role district --name "Community Partnerships Office" --email cpo@mpls.k12.mn.us --consent
  ./bin/cpo status --contract-id ${demoId}
  ./bin/cpo program start --contract-id ${demoId} --by-name "Principal"      # accepted: live

Press Ctrl+C to stop; state survives a restart.`);

  try {
    await worker.run();
  } finally {
    await endpoints.close();
    await cpo.close();
    await closeWorker();
    await catcher.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

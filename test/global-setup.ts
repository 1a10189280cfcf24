import { startDevServer, type TDevServer } from '../scripts/dev-server';
import { freeSmallPort } from '../scripts/free-port';
import { findTemporalCli } from '../scripts/temporal-cli';

declare global {
  // Shared with global-teardown, which runs in the same process.
  var cpoTestServer: TDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('The tests need the Temporal CLI: run `npm run setup` (it builds one with Go)');
  globalThis.cpoTestServer = await startDevServer({ cliPath: cli.path, port: await freeSmallPort() });
  process.env.CPO_TEST_TEMPORAL_ADDRESS = globalThis.cpoTestServer.address;
}

import { createServer } from 'node:net';
import { startDevServer, type TDevServer } from '../scripts/dev-server';
import { findTemporalCli } from '../scripts/temporal-cli';

declare global {
  // Shared with global-teardown, which runs in the same process.
  var cpoTestServer: TDevServer | undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup(): Promise<void> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('The tests need the Temporal CLI: run `npm run setup` (it builds one with Go)');
  globalThis.cpoTestServer = await startDevServer({ cliPath: cli.path, port: await freePort() });
  process.env.CPO_TEST_TEMPORAL_ADDRESS = globalThis.cpoTestServer.address;
}

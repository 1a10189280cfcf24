import { ConfigError, parseEnv } from '../config/env';
import { loadPolicy } from '../config/load-policy';
import { createCpoWorker } from './create-worker';

async function main(): Promise<void> {
  const env = parseEnv();
  // Checked here too, so a bad policy file stops the worker at start rather than failing contracts later.
  loadPolicy(env.CPO_POLICY_FILE);
  const { worker, connection } = await createCpoWorker(env);
  console.log(`Worker polling task queue ${env.TEMPORAL_TASK_QUEUE} on ${env.TEMPORAL_ADDRESS}`);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

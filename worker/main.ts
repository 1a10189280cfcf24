import { ConfigError, parseEnv } from '../config/env';
import { createCpoWorker } from './create-worker';

async function main(): Promise<void> {
  const env = parseEnv();
  const { worker, close } = await createCpoWorker(env);
  console.log(`Worker polling task queue ${env.TEMPORAL_TASK_QUEUE} on ${env.TEMPORAL_ADDRESS}`);
  try {
    await worker.run();
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

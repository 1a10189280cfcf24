import { connectCpo } from '../client/context';
import { ConfigError, parseEnv } from '../config/env';
import { startEndpoints } from './start-endpoints';

/** Production: the signing pages and the email-reply listener, beside the workers. */
async function main(): Promise<void> {
  const env = parseEnv();
  const { context, close } = connectCpo(env);
  const endpoints = await startEndpoints(env, context, { logStream: process.stdout, log: (line) => console.log(line) });
  console.log(
    `Dashboard and signing pages on ${endpoints.httpUrl}; email replies on ${env.CPO_INBOUND_SMTP_HOST}:${endpoints.repliesPort}`,
  );
  const stop = (): void => {
    endpoints
      .close()
      .then(close)
      .catch((error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

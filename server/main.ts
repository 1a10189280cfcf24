import path from 'node:path';
import { createFolderDocumentStore } from '../activities/storage/document-store';
import { connectCpo } from '../client/context';
import { ConfigError, parseEnv } from '../config/env';
import { loadSigningSecret } from '../config/signing-secret';
import { createServer } from './create-server';

/** The HTTP server on its own (production): signing pages. */
async function main(): Promise<void> {
  const env = parseEnv();
  const { context } = connectCpo(env);
  const app = await createServer({
    context,
    documents: createFolderDocumentStore(path.join(env.CPO_DATA_DIR, 'documents')),
    signingSecret: loadSigningSecret(env),
    logStream: process.stdout,
  });
  await app.listen({ host: env.CPO_HTTP_HOST, port: env.CPO_HTTP_PORT });
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

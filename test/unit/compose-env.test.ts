import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv, ZEnvSchema } from '../../config/env';

// The compose stack cannot run on the build machine (no Docker engine); this keeps its settings parseable.
const compose = readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8');

/** The workers' (and web's) environment block, with ${VAR:-default} as its default and ${VAR:?…} as a placeholder. */
function workerEnvironment(): Record<string, string> {
  const block = /environment: &cpo-environment\n((?: {6}.+\n)+)/.exec(compose)?.[1] ?? '';
  const pairs = [...block.matchAll(/^ {6}([A-Z_0-9]+): (.*)$/gm)].map(([, name, value]): [string, string] => [
    name!,
    value!
      .replace(/^"(.*)"$/, '$1')
      .replace(/\$\{[A-Z_0-9]+:-([^}]*)\}/g, '$1')
      .replace(/\$\{[A-Z_0-9]+:\?[^}]*\}/g, 'x'.repeat(32)),
  ]);
  return Object.fromEntries(pairs);
}

test('the compose workers store documents in MinIO with settings parseEnv accepts', () => {
  const env = workerEnvironment();
  expect(Object.keys(env).filter((name) => !(name in ZEnvSchema.shape))).toEqual([]);
  expect(parseEnv(env)).toMatchObject({ CPO_DOCUMENT_STORE: 's3', CPO_S3_ENDPOINT: 'http://minio:9000', CPO_S3_BUCKET: 'cpo-documents' });
  expect(compose).toMatch(/replicas: \$\{CPO_WORKER_REPLICAS:-2\}/);
});

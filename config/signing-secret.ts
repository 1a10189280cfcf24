import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type TEnv } from './env';

/**
 * The HMAC key of signing links. Production requires CPO_SIGNING_SECRET; the embedded default generates one
 * once and keeps it in the data folder, so links stay valid across restarts.
 */
export function loadSigningSecret(env: TEnv): string {
  if (env.CPO_SIGNING_SECRET) return env.CPO_SIGNING_SECRET;
  if (env.CPO_MODE === 'production') {
    throw new ConfigError('Invalid configuration: CPO_SIGNING_SECRET is required when CPO_MODE=production (32 characters or more)');
  }
  const file = path.join(env.CPO_DATA_DIR, 'signing-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(env.CPO_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
}

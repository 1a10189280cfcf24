// Finds or provisions the Temporal CLI (dev server with SQLite persistence and the Web UI), in this order:
// $TEMPORAL_CLI_PATH, `temporal` on PATH, a build cached in the user's cache folder, a fresh build from the
// Go module proxy into that cache; and when none works, undefined, so callers fall back to the SDK's download.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** Later tags carry a `replace` directive that `go install` refuses; this one installs. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export interface TFoundCli {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function cachedCliPath(): string {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cacheRoot, 'cpo-contracting-pipeline', TEMPORAL_CLI_MODULE.replace(/[^a-zA-Z0-9.]+/g, '_'), 'temporal');
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

function buildWithGo(target: string, log: (line: string) => void): boolean {
  if (!onPath('go')) return false;
  const staging = mkdtempSync(`${path.dirname(target)}-build-`);
  log(`Building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}); the first build takes a few minutes...`);
  const started = Date.now();
  const result = spawnSync('go', ['install', TEMPORAL_CLI_MODULE], {
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    if (result.status !== 0) {
      log(`go install failed (exit ${result.status ?? result.signal}).`);
      return false;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(path.join(staging, 'temporal'), target); // atomic: a concurrent run sees the whole file or none
    log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function findTemporalCli({ build = true, log = (line: string) => console.error(line) } = {}): TFoundCli | undefined {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = cachedCliPath();
  if (existsSync(cached) && isExecutable(cached)) return { path: cached, source: 'cache' };
  if (build) {
    mkdirSync(path.dirname(path.dirname(cached)), { recursive: true });
    if (buildWithGo(cached, log)) return { path: cached, source: 'go install' };
  }
  log('No Temporal CLI found or built; falling back to the SDK download (needs internet access).');
  return undefined;
}

if (require.main === module) {
  const found = findTemporalCli();
  console.log(found ? `Temporal CLI (${found.source}): ${found.path}` : 'Temporal CLI: the SDK will download it');
}

// Finds or builds a Go program the project runs (the Temporal CLI, the Temporal server and its SQL tool, Mailpit),
// in this order: an environment variable naming the file, a program of that name on PATH, a build cached in the
// user's cache folder, a fresh `go install` from the Go module proxy into that cache. Never a download at run time.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface TGoTool {
  /** What the messages call it: "the Temporal CLI". */
  label: string;
  /** `module/path/cmd@version`, as `go install` takes it. */
  module: string;
  /** The file `go install` writes (the last element of the package path). */
  builtName: string;
  /** The name looked for on PATH. */
  pathName: string;
  /** The environment variable that names the executable, checked first. */
  envVar: string;
  /** Extra build environment, e.g. CGO_ENABLED=0 for a static binary. */
  buildEnv?: Record<string, string>;
}

export interface TFoundTool {
  path: string;
  source: 'env' | 'PATH' | 'cache' | 'go install';
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function cachedToolPath(tool: TGoTool): string {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(cacheRoot, 'cpo-contracting-pipeline', tool.module.replace(/[^a-zA-Z0-9.]+/g, '_'), tool.builtName);
}

export function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

function buildWithGo(tool: TGoTool, target: string, log: (line: string) => void): boolean {
  if (!onPath('go')) return false;
  mkdirSync(path.dirname(path.dirname(target)), { recursive: true });
  const staging = mkdtempSync(`${path.dirname(target)}-build-`);
  log(`Building ${tool.label} with Go (${tool.module}); the first build takes a few minutes...`);
  const started = Date.now();
  // nice: the build must not starve the tests and servers running beside it.
  const result = spawnSync('nice', ['-n', '10', 'go', 'install', tool.module], {
    env: { ...process.env, ...tool.buildEnv, GOBIN: staging },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    if (result.status !== 0) {
      log(`go install ${tool.module} failed (exit ${result.status ?? result.signal}).`);
      return false;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(path.join(staging, tool.builtName), target); // atomic: a concurrent run sees the whole file or none
    log(`Built ${tool.label} in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
    return true;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export function findGoTool(tool: TGoTool, { build = true, log = (line: string) => console.error(line) } = {}): TFoundTool | undefined {
  const fromEnv = process.env[tool.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${tool.envVar}=${fromEnv} is not an executable file`);
    return { path: fromEnv, source: 'env' };
  }
  const fromPath = onPath(tool.pathName);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const cached = cachedToolPath(tool);
  if (existsSync(cached) && isExecutable(cached)) return { path: cached, source: 'cache' };
  if (build && buildWithGo(tool, cached, log)) return { path: cached, source: 'go install' };
  return undefined;
}

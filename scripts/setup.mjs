// Set-up that `npm start` and `npm test` run first: install packages when missing or stale, then find or
// build the Temporal CLI. Plain Node with no dependencies, because it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const installed = 'node_modules/.package-lock.json';
const stale = !existsSync(installed) || statSync('package-lock.json').mtimeMs > statSync(installed).mtimeMs;
if (stale) {
  // `npm install`, not `npm ci`: where a registry mirror lacks other platforms' optional binaries (such as
  // @swc/core-darwin-arm64), the lockfile cannot list them and `npm ci` refuses; `npm install` keeps the lock as is.
  console.error('Installing packages (npm install)...');
  run('npm', ['install', '--no-audit', '--no-fund']);
}
run('node_modules/.bin/tsx', ['scripts/temporal-cli.ts']);

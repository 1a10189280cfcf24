// Set-up that `npm start` and `npm test` run first: install packages when missing or stale, then find or
// build the Temporal CLI, then install Chromium for the browser test when it is missing. Plain Node with no
// dependencies, because it runs before node_modules exists.
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

// Chromium for the browser test (test/e2e/browser-signing.test.ts), driven by playwright-core. Playwright's own
// browser download does not work on the build machines, so we use Debian's package. `CHROMIUM_PATH` overrides.
// Never fatal: without a browser only that test fails, and it names the missing browser.
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (process.env.CHROMIUM_PATH && !existsSync(chromiumPath)) {
  console.error(`CHROMIUM_PATH=${chromiumPath} does not exist: the browser test will fail until it points at a Chromium executable.`);
} else if (!existsSync(chromiumPath)) {
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    console.error(
      `Chromium is not installed (${chromiumPath} is missing) and cannot be installed here ` +
        `(${!hasApt ? 'no apt-get' : 'not root'}). The browser test will fail until you install it ` +
        '(on Debian: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium executable.',
    );
  } else {
    const started = Date.now();
    const apt = (args) => {
      console.error(`Installing Chromium for the browser test: apt-get ${args.join(' ')}`);
      return spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    };
    if (apt(['update']) && apt(['install', '-y', 'chromium']) && existsSync(chromiumPath)) {
      console.error(`Chromium installed at ${chromiumPath} in ${Math.round((Date.now() - started) / 1000)} s.`);
    } else {
      console.error(`Installing Chromium with apt-get failed: the browser test will fail until ${chromiumPath} exists.`);
    }
  }
}

// poppler-utils (pdftotext, pdftoppm) reads the PDFs back in the tests as any reader would, and the Noto fonts let
// Chromium show names in every script on the pages the browser test opens (test/e2e/*-browser*.test.ts).
const debianPackages = [
  { name: 'poppler-utils', present: '/usr/bin/pdftotext' },
  { name: 'fonts-noto-core', present: '/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf' },
  { name: 'fonts-noto-cjk', present: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' },
  { name: 'fonts-noto-color-emoji', present: '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf' },
].filter((pkg) => !existsSync(pkg.present));
if (debianPackages.length > 0) {
  const names = debianPackages.map((pkg) => pkg.name);
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  const apt = (args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!canApt || !(apt(['update']) && apt(['install', '-y', '--no-install-recommends', ...names]))) {
    console.error(
      `Could not install ${names.join(', ')}: the PDF and browser tests that read text back will fail until they are installed.`,
    );
  }
}

// PostgreSQL for the production stack only (`npm run stack`, `npm run reliability -- --stack production`): the stack
// runs a cluster of its own with Debian's initdb and pg_ctl (scripts/postgres-cluster.ts). Never fatal.
const hasPostgres =
  spawnSync('pg_ctl', ['--version'], { stdio: 'ignore' }).status === 0 ||
  (existsSync('/usr/lib/postgresql') && spawnSync('sh', ['-c', 'ls /usr/lib/postgresql/*/bin/pg_ctl'], { stdio: 'ignore' }).status === 0);
if (!hasPostgres) {
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  const apt = (args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!canApt) {
    console.error(
      'PostgreSQL is not installed and cannot be installed here (not root or no apt-get): the production stack ' +
        '(`npm run stack`) needs it; on Debian run `sudo apt-get install -y postgresql`. The tests do not.',
    );
  } else if (!(apt(['update']) && apt(['install', '-y', '--no-install-recommends', 'postgresql']))) {
    console.error('Installing PostgreSQL with apt-get failed: the production stack (`npm run stack`) needs it; the tests do not.');
  }
}

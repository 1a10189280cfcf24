// A PostgreSQL cluster of its own for the production stack: initdb in a folder, the server on a free loopback
// port with its socket in that folder, stopped and started again on the same data. Debian's PostgreSQL (the set-up
// installs it); as root, initdb and postgres refuse to run, so they run as the `postgres` account (or `nobody`)
// through runuser, on a folder that account owns.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { onPath } from './go-tool';

export interface TPostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A PostgreSQL program: on PATH, else in Debian's /usr/lib/postgresql/<major>/bin (the newest major). */
export function postgresProgram(name: 'initdb' | 'pg_ctl'): string {
  const fromPath = onPath(name);
  if (fromPath) return fromPath;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((entry) => /^\d+$/.test(entry))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = majors.map((major) => path.join(root, major, 'bin', name)).find((file) => existsSync(file));
  if (!found)
    throw new Error(
      `PostgreSQL is not installed (no ${name}): run \`npm run stack:setup\` as root (apt-get install postgresql), or put ${name} on PATH`,
    );
  return found;
}

/** Root's unprivileged stand-in: `postgres` (Debian's package creates it), else `nobody`; null when not root. */
function unprivilegedAccount(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      // no such account: try the next
    }
  }
  throw new Error('Running as root, PostgreSQL needs an unprivileged account (postgres or nobody) and neither exists');
}

function run(command: string, args: string[], account: string | null, log: (line: string) => void): Promise<void> {
  const [file, argv] = account ? ['runuser', ['-u', account, '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else {
        log(output.trim());
        reject(new Error(`${command} ${args[0] ?? ''} exited with code ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`));
      }
    });
  });
}

/** Creates the cluster in `folder` (which must not exist yet) and starts it. */
export async function startPostgresCluster(folder: string, log: (line: string) => void = () => undefined): Promise<TPostgresCluster> {
  const account = unprivilegedAccount();
  mkdirSync(folder, { recursive: false, mode: 0o700 });
  // The account must reach the folder through its parent (a private temporary folder): traverse only, no listing.
  if (account) {
    chmodSync(path.dirname(folder), 0o711);
    chownSync(folder, account.uid, account.gid);
  }
  const dataDir = path.join(folder, 'data');
  const passwordFile = path.join(folder, 'password');
  const user = 'temporal';
  const password = randomBytes(18).toString('base64url');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (account) chownSync(passwordFile, account.uid, account.gid);
  await run(
    postgresProgram('initdb'),
    ['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'],
    account?.name ?? null,
    log,
  );
  rmSync(passwordFile);
  const port = await freePort();
  const pgCtl = (args: string[]) => run(postgresProgram('pg_ctl'), ['-D', dataDir, ...args], account?.name ?? null, log);
  const start = () =>
    pgCtl([
      '-w',
      '-t',
      '60',
      '-l',
      path.join(folder, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c max_connections=200`,
      'start',
    ]);
  let running = false;
  await start();
  running = true;
  log(`PostgreSQL on 127.0.0.1:${port} (data in ${dataDir}${account ? `, running as ${account.name}` : ''})`);
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    async stop() {
      if (!running) return;
      await pgCtl(['-w', '-m', 'fast', 'stop']);
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
  };
}

// Mailpit, the stack's mail catcher: SMTP for the workers, a web UI and JSON API (/api/v1) for people and tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';

export interface TMailpit {
  readonly smtpPort: number;
  readonly webUrl: string;
  stop(): Promise<void>;
}

export async function startMailpit(binary: string, folder: string): Promise<TMailpit> {
  const [smtpPort, webPort] = [await freePort(), await freePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const args = [
    '--smtp',
    `127.0.0.1:${smtpPort}`,
    '--listen',
    `127.0.0.1:${webPort}`,
    '--database',
    path.join(folder, 'mailpit.db'),
    '--quiet',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`Mailpit exited with code ${exitCode} before serving`);
    const ready = await fetch(`${webUrl}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`Mailpit did not answer on ${webUrl} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    smtpPort,
    webUrl,
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

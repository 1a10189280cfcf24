import { createServer, type AddressInfo } from 'node:net';

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** A TCP port free on loopback now, for a server that must be told its port (the Temporal dev server). */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * A free loopback port in 10000-32767, below the kernel's ephemeral range, so no outgoing connection takes it before
 * the server listens on it (the Temporal servers). The Temporal server on PostgreSQL also keeps its membership ports
 * in a SMALLINT column, so a port from freePort() (32768 and up) stops it at start.
 */
export async function freeSmallPort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * (32_767 - 10_000));
    const bound = await listenOnce(port).catch(() => null);
    if (bound !== null) return bound;
  }
  throw new Error('No free loopback port between 10000 and 32767');
}

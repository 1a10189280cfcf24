import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TS3Server {
  /** CPO_DOCUMENT_STORE=s3 and CPO_S3_* pointing at this server and its bucket, for parseEnv. */
  readonly env: Record<string, string>;
  readonly bucket: string;
  /** An outage: the port refuses connections (open ones are cut) until start(); the objects stay. */
  stop(): Promise<void>;
  /** Back on the same port with the same objects. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real S3-compatible HTTP server in this process (s3rver, objects in a temporary folder) on a free loopback port,
 * with one empty bucket. s3rver accepts only its fixed key pair, S3RVER / S3RVER.
 */
export async function startS3Server(bucket = 'cpo-documents'): Promise<TS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cpo-s3-'));
  const listen = async (port: number) => {
    const server = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: bucket }] });
    return { server, address: await server.run() };
  };
  let running: S3rver | null;
  const first = await listen(0);
  running = first.server;
  const { port } = first.address;
  const stop = async () => {
    const server = running;
    running = null;
    if (!server) return;
    const closed = server.close();
    // The SDK keeps connections open between requests; an outage cuts them too.
    server.httpServer.closeAllConnections();
    await closed;
  };
  return {
    bucket,
    env: {
      CPO_DOCUMENT_STORE: 's3',
      CPO_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      CPO_S3_BUCKET: bucket,
      CPO_S3_ACCESS_KEY_ID: 'S3RVER',
      CPO_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    stop,
    async start() {
      running ??= (await listen(port)).server;
    },
    close: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

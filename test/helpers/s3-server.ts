import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TS3Server {
  /** CPO_DOCUMENT_STORE=s3 and CPO_S3_* pointing at this server and its bucket, for parseEnv. */
  readonly env: Record<string, string>;
  readonly bucket: string;
  close(): Promise<void>;
}

/**
 * A real S3-compatible HTTP server in this process (s3rver, objects in a temporary folder) on a free loopback port,
 * with one empty bucket. s3rver accepts only its fixed key pair, S3RVER / S3RVER.
 */
export async function startS3Server(bucket = 'cpo-documents'): Promise<TS3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cpo-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    bucket,
    env: {
      CPO_DOCUMENT_STORE: 's3',
      CPO_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      CPO_S3_BUCKET: bucket,
      CPO_S3_ACCESS_KEY_ID: 'S3RVER',
      CPO_S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

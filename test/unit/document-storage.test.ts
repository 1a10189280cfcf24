import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../activities/storage/create-s3-client';
import { createStorage } from '../../activities/storage/create-storage';
import { parseEnv } from '../../config/env';
import { startS3Server, type TS3Server } from '../../scripts/s3-server';
import { describeStorageContract } from '../helpers/storage-contract';

describeStorageContract('folder store (CPO_DOCUMENT_STORE=folder, the default)', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-storage-'));
  return {
    env: parseEnv({ CPO_DATA_DIR: dataDir }),
    overwriteDocument: (id, bytes) => writeFile(path.join(dataDir, 'documents', `${id}.pdf`), bytes),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describeStorageContract('S3 store (CPO_DOCUMENT_STORE=s3) on an S3-compatible server on loopback', async () => {
  const s3 = await startS3Server();
  const env = parseEnv({ ...s3.env, CPO_S3_PREFIX: 'district/cpo' });
  const client = createS3Client(env);
  return {
    env,
    overwriteDocument: async (id, bytes) => {
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `district/cpo/documents/${id}.pdf`, Body: bytes }));
    },
    close: () => s3.close(),
  };
});

describe('S3 object layout', () => {
  let s3: TS3Server;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(() => s3?.close());

  test('documents and the sent-mail log are objects under the prefix, named by content and by key hash', async () => {
    const env = parseEnv({ ...s3.env, CPO_S3_PREFIX: 'mpls/' });
    const { documents, sentMail } = createStorage(env);
    const ref = await documents.put(new Uint8Array(Buffer.from('%PDF-1.7 layout')), { kind: 'contract', filename: 'c.pdf' });
    await sentMail.record({
      idempotencyKey: 'k',
      messageId: '<k@district.example>',
      sentAt: '2026-09-01T12:00:00.000Z',
      to: ['a@b.example'],
    });
    const listed = await createS3Client(env).send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    expect(listed.Contents?.map((object) => object.Key).sort()).toEqual([
      `mpls/documents/${ref.id}.pdf`,
      // SHA-256 of "k"
      'mpls/sent-mail/8254c329a92850f6d539dd376f4816ee2764517da5e0235514af433164480d7a.json',
    ]);
  });
});

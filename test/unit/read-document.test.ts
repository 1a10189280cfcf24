// A document a person downloads while the document store does not answer is "try again" (503), never a 500.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../activities/storage/create-s3-client';
import { createStorage } from '../../activities/storage/create-storage';
import { CpoUnavailableError } from '../../client/errors';
import { readDocument } from '../../client/read-document';
import { parseEnv } from '../../config/env';
import { startS3Server, type TS3Server } from '../../scripts/s3-server';

let s3: TS3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.close());

test('a store that does not answer is an outage, and the document reads again once it is back', async () => {
  const { documents } = createStorage(parseEnv(s3.env));
  const bytes = new TextEncoder().encode('%PDF-1.7 executed contract');
  const ref = await documents.put(bytes, { kind: 'executed_contract', filename: 'contract-c-1-executed.pdf' });
  await s3.stop();
  try {
    const refused = await readDocument(documents, ref).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CpoUnavailableError);
    expect((refused as CpoUnavailableError).httpStatus).toBe(503);
    expect((refused as Error).message).toMatch(/try again in a minute/);
    expect((refused as Error).message).not.toContain(s3.env.CPO_S3_ENDPOINT!);
  } finally {
    await s3.start();
  }
  expect(Buffer.from(await readDocument(documents, ref)).toString()).toBe('%PDF-1.7 executed contract');
});

test('a document changed in the store is not an outage', async () => {
  const env = parseEnv(s3.env);
  const { documents } = createStorage(env);
  const ref = await documents.put(new TextEncoder().encode('%PDF-1.7 as signed'), { kind: 'contract', filename: 'contract-c-2.pdf' });
  await createS3Client(env).send(new PutObjectCommand({ Bucket: s3.bucket, Key: `documents/${ref.id}.pdf`, Body: '%PDF-1.7 altered' }));
  const refused = await readDocument(documents, ref).catch((error: unknown) => error);
  expect(refused).not.toBeInstanceOf(CpoUnavailableError);
  expect((refused as Error).message).toMatch(/does not match its SHA-256/);
});

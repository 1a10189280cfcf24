import { existsSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client } from '../../activities/storage/create-s3-client';
import { sha256Hex } from '../../activities/storage/document-store';
import { getContractStatus, signContract, startContract, startProgram } from '../../client/contracts';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { useRealPipeline } from '../helpers/real-pipeline';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { s3: true });

test('with CPO_DOCUMENT_STORE=s3 a contract reaches live, and its executed PDF and sent-mail log are in the bucket', async () => {
  const { context, env } = pipeline;
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  const partnerEmail = `lan@${partnerId}.example`;
  await readyPartner(context, partnerId);
  await startContract(context, contractRequest(contractId, partnerId));
  await pipeline.catcher.waitFor(
    (mail) => mail.envelopeTo.includes(partnerEmail) && /Please sign the contract/.test(mail.parsed.subject ?? ''),
  );
  await signContract(context, contractId, { role: 'partner', name: 'Lan Nguyễn', email: partnerEmail, consent: true, method: 'cli' });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'awaiting_district_signature');
  await signContract(context, contractId, {
    role: 'district',
    name: 'CPO Office',
    email: 'cpo@mpls.k12.mn.us',
    consent: true,
    method: 'cli',
  });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'live');
  await expect(startProgram(context, contractId, { by: { name: 'Principal' } })).resolves.toMatchObject({ by: 'Principal' });

  const { documents } = await getContractStatus(context, contractId);
  const executed = documents.executed!;
  const executedMail = await pipeline.catcher.waitFor(
    (mail) => mail.envelopeTo.includes(partnerEmail) && /Contract executed/.test(mail.parsed.subject ?? ''),
  );
  const attached = executedMail.parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
  expect(sha256Hex(attached.content)).toBe(executed.sha256);

  // Read straight from the S3 server, not through the store.
  const s3 = createS3Client(env);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: pipeline.s3.bucket }));
  const keys = listed.Contents?.map((object) => object.Key) ?? [];
  expect(keys).toEqual(expect.arrayContaining([`documents/${documents.contract!.id}.pdf`, `documents/${executed.id}.pdf`]));
  expect(keys.filter((key) => key?.startsWith('sent-mail/')).length).toBeGreaterThanOrEqual(4);
  const object = await s3.send(new GetObjectCommand({ Bucket: pipeline.s3.bucket, Key: `documents/${executed.id}.pdf` }));
  const stored = await object.Body!.transformToByteArray();
  expect(stored.byteLength).toBe(executed.size);
  expect(sha256Hex(stored)).toBe(executed.sha256);
  expect(sha256Hex(await pipeline.documents.get(executed))).toBe(executed.sha256);

  // Nothing went to the data folder.
  expect(existsSync(path.join(pipeline.dataDir, 'documents'))).toBe(false);
  expect(existsSync(path.join(pipeline.dataDir, 'sent-mail'))).toBe(false);
});

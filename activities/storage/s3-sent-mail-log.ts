import { createHash } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import type { TS3Location } from './s3-document-store';
import type { SentMailLog, TSentMail } from './sent-mail-log';

/** One JSON object per sent email, `<prefix>sent-mail/<SHA-256 of the idempotency key>.json`. */
export function createS3SentMailLog({ client, bucket, prefix }: TS3Location): SentMailLog {
  const keyOf = (idempotencyKey: string): string => `${prefix}sent-mail/${createHash('sha256').update(idempotencyKey).digest('hex')}.json`;
  return {
    async find(idempotencyKey) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(idempotencyKey) }));
        return JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as TSentMail;
      } catch (error) {
        if (error instanceof NoSuchKey) return null;
        throw error;
      }
    },
    async record(entry) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: keyOf(entry.idempotencyKey),
          Body: JSON.stringify(entry),
          ContentType: 'application/json',
        }),
      );
    },
  };
}

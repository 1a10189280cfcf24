import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeDocument, readCheckedDocument, type DocumentStore } from './document-store';

export interface TS3Location {
  client: S3Client;
  bucket: string;
  /** Empty, or ending with `/`. */
  prefix: string;
}

/** One object per document, `<prefix>documents/<id>.pdf`, shared by every worker and the web server. */
export function createS3DocumentStore({ client, bucket, prefix }: TS3Location): DocumentStore {
  const keyOf = (id: string): string => `${prefix}documents/${id}.pdf`;
  return {
    async put(bytes, meta) {
      const ref = describeDocument(bytes, meta);
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: keyOf(ref.id), Body: bytes, ContentType: 'application/pdf' }));
      return ref;
    },
    get: (ref) =>
      readCheckedDocument(ref, async (id) => {
        try {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(id) }));
          if (!object.Body) throw new Error(`Document ${id}: s3://${bucket}/${keyOf(id)} came back without a body`);
          return await object.Body.transformToByteArray();
        } catch (error) {
          if (error instanceof NoSuchKey)
            throw new Error(`Document ${id} is not in the store (no object s3://${bucket}/${keyOf(id)})`, { cause: error });
          throw error;
        }
      }),
  };
}

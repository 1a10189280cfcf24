import { S3Client } from '@aws-sdk/client-s3';
import type { TEnv } from '../../config/env';

/** The S3 client of CPO_S3_*: AWS S3 when no endpoint is set, else the S3-compatible server it names (MinIO). */
export function createS3Client(env: TEnv): S3Client {
  return new S3Client({
    region: env.CPO_S3_REGION,
    ...(env.CPO_S3_ENDPOINT ? { endpoint: env.CPO_S3_ENDPOINT } : {}),
    forcePathStyle: env.CPO_S3_FORCE_PATH_STYLE ? env.CPO_S3_FORCE_PATH_STYLE === 'true' : env.CPO_S3_ENDPOINT !== undefined,
    ...(env.CPO_S3_ACCESS_KEY_ID && env.CPO_S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: env.CPO_S3_ACCESS_KEY_ID, secretAccessKey: env.CPO_S3_SECRET_ACCESS_KEY } }
      : {}),
    // The SDK's default CRC32 checksums (aws-chunked uploads) are mishandled by many S3-compatible servers;
    // documents are checked against their SHA-256 on every read anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

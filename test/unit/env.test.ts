import { parseEnv } from '../../config/env';

describe('document store configuration', () => {
  test('the folder store is the default; S3 settings have their defaults', () => {
    expect(parseEnv({})).toMatchObject({ CPO_DOCUMENT_STORE: 'folder', CPO_S3_REGION: 'us-east-1', CPO_S3_PREFIX: '' });
  });

  test('CPO_DOCUMENT_STORE=s3 needs a bucket, and names CPO_S3_BUCKET when it is missing', () => {
    expect(() => parseEnv({ CPO_DOCUMENT_STORE: 's3' })).toThrow('Invalid configuration: CPO_S3_BUCKET is required when CPO_DOCUMENT_STORE=s3');
    expect(parseEnv({ CPO_DOCUMENT_STORE: 's3', CPO_S3_BUCKET: 'cpo-documents' })).toMatchObject({ CPO_DOCUMENT_STORE: 's3', CPO_S3_BUCKET: 'cpo-documents' });
  });

  test('bad S3 settings are refused with the variable named', () => {
    expect(() => parseEnv({ CPO_DOCUMENT_STORE: 'minio' })).toThrow(/CPO_DOCUMENT_STORE: /);
    expect(() => parseEnv({ CPO_S3_ENDPOINT: 'minio:9000' })).toThrow(/CPO_S3_ENDPOINT: /);
    expect(() => parseEnv({ CPO_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/CPO_S3_FORCE_PATH_STYLE: /);
    expect(() => parseEnv({ CPO_S3_ACCESS_KEY_ID: 'cpo' })).toThrow('CPO_S3_ACCESS_KEY_ID and CPO_S3_SECRET_ACCESS_KEY go together');
  });

  test('a prefix gets its trailing slash', () => {
    expect(parseEnv({ CPO_S3_PREFIX: 'mpls' }).CPO_S3_PREFIX).toBe('mpls/');
    expect(parseEnv({ CPO_S3_PREFIX: 'mpls/cpo/' }).CPO_S3_PREFIX).toBe('mpls/cpo/');
  });
});

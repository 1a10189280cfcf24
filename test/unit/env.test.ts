import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../config/env';
import { loadStaffAuth } from '../../config/load-staff-auth';

describe('document store configuration', () => {
  test('the folder store is the default; S3 settings have their defaults', () => {
    expect(parseEnv({})).toMatchObject({ CPO_DOCUMENT_STORE: 'folder', CPO_S3_REGION: 'us-east-1', CPO_S3_PREFIX: '' });
  });

  test('CPO_DOCUMENT_STORE=s3 needs a bucket, and names CPO_S3_BUCKET when it is missing', () => {
    expect(() => parseEnv({ CPO_DOCUMENT_STORE: 's3' })).toThrow(
      'Invalid configuration: CPO_S3_BUCKET is required when CPO_DOCUMENT_STORE=s3',
    );
    expect(parseEnv({ CPO_DOCUMENT_STORE: 's3', CPO_S3_BUCKET: 'cpo-documents' })).toMatchObject({
      CPO_DOCUMENT_STORE: 's3',
      CPO_S3_BUCKET: 'cpo-documents',
    });
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

describe('reverse proxy configuration', () => {
  test('no proxy is trusted by default; addresses, CIDR ranges and named ranges are taken, trimmed', () => {
    expect(parseEnv({}).CPO_TRUSTED_PROXIES).toEqual([]);
    expect(parseEnv({ CPO_TRUSTED_PROXIES: ' 10.0.0.5, 10.0.0.0/8,fd00::/8, ::1 ,loopback,' }).CPO_TRUSTED_PROXIES).toEqual([
      '10.0.0.5',
      '10.0.0.0/8',
      'fd00::/8',
      '::1',
      'loopback',
    ]);
  });

  test('a host name or a bad range is refused with the variable and the entry named', () => {
    expect(() => parseEnv({ CPO_TRUSTED_PROXIES: '10.0.0.5,proxy.internal' })).toThrow(
      'Invalid configuration: CPO_TRUSTED_PROXIES.1: "proxy.internal" is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, loopback)',
    );
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/8', '10.0.0.0/', '300.1.1.1']) {
      expect(() => parseEnv({ CPO_TRUSTED_PROXIES: bad })).toThrow(`CPO_TRUSTED_PROXIES.0: "${bad}" is not an IP address`);
    }
  });

  test("the dashboard's same-site origin is CPO_PUBLIC_URL's origin, without its path", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-env-'));
    try {
      const staff = loadStaffAuth(parseEnv({ CPO_DATA_DIR: dataDir, CPO_PUBLIC_URL: 'https://partners.district.example/cpo/' }));
      expect(staff).toMatchObject({ publicOrigin: 'https://partners.district.example', secureCookies: true });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('identity provider (OpenID Connect) configuration', () => {
  const complete = {
    CPO_OIDC_ISSUER: 'https://accounts.google.com',
    CPO_OIDC_CLIENT_ID: '1234.apps.googleusercontent.com',
    CPO_OIDC_CLIENT_SECRET: 'GOCSPX-secret',
    CPO_OIDC_REDIRECT_URL: 'https://partners.district.example/dashboard/oidc/callback',
    CPO_OIDC_ROLE_MAPPING:
      '{"claim":"email","map":{"dana@district.example":{"role":"cpo"},"pat@district.example":{"role":"school","schools":["Roosevelt High"]}}}',
  };

  test('off by default; with the issuer, every other setting is required and each missing one is named', () => {
    expect(parseEnv({}).CPO_OIDC_ISSUER).toBeUndefined();
    expect(parseEnv(complete).CPO_OIDC_ROLE_MAPPING).toEqual({
      claim: 'email',
      map: { 'dana@district.example': { role: 'cpo' }, 'pat@district.example': { role: 'school', schools: ['Roosevelt High'] } },
    });
    expect(() => parseEnv({ ...complete, CPO_OIDC_CLIENT_SECRET: undefined })).toThrow(
      'Invalid configuration: CPO_OIDC_CLIENT_SECRET is required when CPO_OIDC_ISSUER is set',
    );
    expect(() => parseEnv({ CPO_OIDC_ISSUER: complete.CPO_OIDC_ISSUER })).toThrow(
      'CPO_OIDC_CLIENT_ID, CPO_OIDC_CLIENT_SECRET, CPO_OIDC_REDIRECT_URL, CPO_OIDC_ROLE_MAPPING are required when CPO_OIDC_ISSUER is set',
    );
    expect(() => parseEnv({ CPO_OIDC_CLIENT_ID: 'x' })).toThrow('CPO_OIDC_ISSUER is required when other CPO_OIDC_ settings are set');
  });

  test('bad settings are refused with the variable and what is expected', () => {
    expect(() => parseEnv({ ...complete, CPO_OIDC_ISSUER: 'accounts.google.com' })).toThrow(/CPO_OIDC_ISSUER: must be the issuer URL/);
    expect(() => parseEnv({ ...complete, CPO_OIDC_REDIRECT_URL: 'https://partners.district.example/callback' })).toThrow(
      /CPO_OIDC_REDIRECT_URL: must end in \/dashboard\/oidc\/callback/,
    );
    expect(() => parseEnv({ ...complete, CPO_OIDC_ROLE_MAPPING: '{claim: groups}' })).toThrow(/CPO_OIDC_ROLE_MAPPING: must be JSON/);
    expect(() => parseEnv({ ...complete, CPO_OIDC_ROLE_MAPPING: '{"claim":"groups","map":{}}' })).toThrow(
      /CPO_OIDC_ROLE_MAPPING\.map: maps at least one claim value/,
    );
    expect(() => parseEnv({ ...complete, CPO_OIDC_ROLE_MAPPING: '{"claim":"groups","map":{"staff":{"role":"admin"}}}' })).toThrow(
      /CPO_OIDC_ROLE_MAPPING\.map\.staff\.role: /,
    );
  });
});

describe('worker configuration', () => {
  test('the workflow cache is bounded at 200 unless set; a bad size is refused with the variable named', () => {
    expect(parseEnv({}).CPO_WORKER_MAX_CACHED_WORKFLOWS).toBe(200);
    expect(parseEnv({ CPO_WORKER_MAX_CACHED_WORKFLOWS: '500' }).CPO_WORKER_MAX_CACHED_WORKFLOWS).toBe(500);
    expect(() => parseEnv({ CPO_WORKER_MAX_CACHED_WORKFLOWS: '-1' })).toThrow(/CPO_WORKER_MAX_CACHED_WORKFLOWS: /);
    expect(() => parseEnv({ CPO_WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/CPO_WORKER_MAX_CACHED_WORKFLOWS: /);
  });
});

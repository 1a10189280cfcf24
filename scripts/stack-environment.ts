// The workers' and the web process's settings in the production stack: the same as docker-compose.yml's
// `&cpo-environment` block, with loopback addresses and free ports instead of the containers' names
// (test/unit/compose-matches-stack.test.ts compares them).

/** The settings whose values are the same here and in the compose file. */
export const SHARED_APP_SETTINGS = {
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'cpo-contracts',
  SMTP_SECURE: 'false',
  MAIL_FROM: 'Community Partnerships Office <cpo@district.example>',
  CPO_DOCUMENT_STORE: 's3',
  CPO_S3_BUCKET: 'cpo-documents',
  CPO_POLICY_FILE: 'policies/minneapolis.json',
  CPO_MODE: 'production',
  CPO_REPLY_DOMAIN: 'localhost',
} as const;

/** Worker processes: the compose file's default CPO_WORKER_REPLICAS. */
export const STACK_WORKERS = 2;

/** Set here only: compose publishes the default ports and keeps no local data folder. */
export const STACK_ONLY_SETTINGS = ['CPO_HTTP_PORT', 'CPO_INBOUND_SMTP_PORT', 'CPO_DATA_DIR'] as const;

export interface TStackAddresses {
  temporalAddress: string;
  smtpPort: number;
  /** CPO_S3_ENDPOINT and the key pair of the S3 store. */
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  signingSecret: string;
  /** The district's certificate (PKCS#12, no passphrase) that signs executed documents. */
  signingP12Base64: string;
  httpPort: number;
  repliesPort: number;
  dataDir: string;
}

export function appEnvironment(addresses: TStackAddresses): Record<string, string> {
  return {
    ...SHARED_APP_SETTINGS,
    TEMPORAL_ADDRESS: addresses.temporalAddress,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(addresses.smtpPort),
    CPO_S3_ENDPOINT: addresses.s3.endpoint,
    CPO_S3_ACCESS_KEY_ID: addresses.s3.accessKeyId,
    CPO_S3_SECRET_ACCESS_KEY: addresses.s3.secretAccessKey,
    CPO_SIGNING_SECRET: addresses.signingSecret,
    CPO_SIGNING_P12_BASE64: addresses.signingP12Base64,
    CPO_SIGNING_P12_PASSPHRASE: '',
    CPO_PUBLIC_URL: `http://127.0.0.1:${addresses.httpPort}`,
    CPO_HTTP_HOST: '127.0.0.1',
    CPO_INBOUND_SMTP_HOST: '127.0.0.1',
    CPO_HTTP_PORT: String(addresses.httpPort),
    CPO_INBOUND_SMTP_PORT: String(addresses.repliesPort),
    CPO_DATA_DIR: addresses.dataDir,
  };
}

/** The web process reads the staff accounts too (compose mounts them as a secret). */
export const webEnvironment = (app: Record<string, string>, staffFile: string): Record<string, string> => ({
  ...app,
  CPO_STAFF_FILE: staffFile,
});

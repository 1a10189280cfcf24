import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ZDateSchema } from '../domain/dates';
import { formatZodError } from '../domain/format-zod-error';
import { ZOidcRoleMappingSchema } from '../domain/map-oidc-access';

/** proxy-addr's names for the loopback, link-local and unique-local (private) ranges, which Fastify accepts too. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address (`10.0.0.5`, `::1`) or a CIDR range (`10.0.0.0/8`, `fd00::/8`), as Fastify's trustProxy takes them. */
function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address = '', bits, ...extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

const ZTrustedProxiesSchema = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine(isAddressOrRange, {
        error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, loopback)`,
      }),
    ),
  );

/** Everything the worker, the CLI and the start script read from the environment, checked once at start. */
export const ZEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cpo-contracts'),
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  SMTP_SECURE: z.enum(['true', 'false']).default('false'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Community Partnerships Office <cpo@district.example>'),
  CPO_DATA_DIR: z.string().min(1).default('data'),
  /**
   * Where documents (PDFs) and the sent-mail log live: `folder` under CPO_DATA_DIR (the embedded default, one
   * worker), or `s3`, an S3-compatible bucket that every worker and the web server share.
   */
  CPO_DOCUMENT_STORE: z.enum(['folder', 's3']).default('folder'),
  /** An S3-compatible server such as MinIO; unset means AWS S3 itself. */
  CPO_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://minio:9000' }).optional(),
  CPO_S3_REGION: z.string().min(1).default('us-east-1'),
  /** Required when CPO_DOCUMENT_STORE=s3; the bucket must exist. */
  CPO_S3_BUCKET: z.string().min(1).optional(),
  /** Keys start with it (`<prefix>documents/<id>.pdf`); a missing trailing slash is added. */
  CPO_S3_PREFIX: z
    .string()
    .default('')
    .transform((prefix) => (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`)),
  /** Both or neither; neither means the AWS SDK's own credential chain (AWS_* variables, instance role). */
  CPO_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  CPO_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path, not the host name. Unset: `true` when CPO_S3_ENDPOINT is set (MinIO needs it), else `false`. */
  CPO_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** production requires real secrets; embedded (npm start, tests) generates what it needs in the data folder. */
  CPO_MODE: z.enum(['embedded', 'production']).default('embedded'),
  CPO_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * The district certificate (PKCS#12) that digitally signs every executed document: a path, or the file in base64
   * (one or the other), and its passphrase. Required in production; the embedded default generates a self-signed one
   * in the data folder.
   */
  CPO_SIGNING_P12_FILE: z.string().min(1).optional(),
  CPO_SIGNING_P12_BASE64: z.base64('must be the PKCS#12 file in base64').min(1).optional(),
  CPO_SIGNING_P12_PASSPHRASE: z.string().optional(),
  /** An RFC 3161 timestamp authority; checked here, not yet asked for timestamps (see docs/signing-and-security.md). */
  CPO_SIGNING_TSA_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL of an RFC 3161 timestamp authority, e.g. https://tsa.example/tsr' })
    .optional(),
  /** Where partners reach the signing pages, as written in emails. */
  CPO_PUBLIC_URL: z.url().default('http://127.0.0.1:3000'),
  /**
   * The reverse proxies in front of the HTTP server (comma-separated addresses or CIDR ranges). From them, and only
   * them, X-Forwarded-For/-Host/-Proto are believed: the client's address is the first one not a trusted proxy.
   * None by default: the connection's address is the client's.
   */
  CPO_TRUSTED_PROXIES: ZTrustedProxiesSchema,
  CPO_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  CPO_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * The domain of the reply addresses `sign+<token>@<domain>` written as Reply-To of signature requests. Its MX
   * (or a relay) must deliver to the inbound SMTP listener. `localhost` suits the embedded default.
   */
  CPO_REPLY_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
      'must be a domain name, e.g. replies.district.example',
    )
    .default('localhost'),
  /** Where the inbound SMTP listener for email replies listens. */
  CPO_INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  CPO_INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  /**
   * The staff accounts of the dashboard (JSON `{ "users": [...] }`, password hashes from `cpo staff-password`).
   * Required in production; the embedded default creates data/staff.json with one generated password.
   */
  CPO_STAFF_FILE: z.string().min(1).optional(),
  /**
   * Staff sign-in with the district's OpenID Connect provider (Google Workspace, Microsoft Entra ID…), beside the
   * staff file. Set the issuer to turn it on; then the client id and secret, the redirect URL registered with the
   * provider (`<public URL>/dashboard/oidc/callback`) and the role mapping are required. See docs/dashboard-and-api.md, "Sign in with
   * the district's identity provider".
   */
  CPO_OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'must be the issuer URL, e.g. https://accounts.google.com' }).optional(),
  CPO_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CPO_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CPO_OIDC_REDIRECT_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL ending in /dashboard/oidc/callback' })
    .refine((url) => new URL(url).pathname === '/dashboard/oidc/callback', 'must end in /dashboard/oidc/callback')
    .optional(),
  /** JSON `{ "claim": "groups", "map": { "<claim value>": { "role": "cpo" }, … } }`. */
  CPO_OIDC_ROLE_MAPPING: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"claim":"groups","map":{"cpo-staff":{"role":"cpo"}}}' });
        return z.NEVER;
      }
    })
    .pipe(ZOidcRoleMappingSchema)
    .optional(),
  /** The sign-in button's words, e.g. "Sign in with Google". */
  CPO_OIDC_LABEL: z.string().trim().min(1).max(80).default('Sign in with the district account'),
  /**
   * How many workflows the worker keeps in memory between tasks (Temporal's sticky cache); an evicted workflow is
   * replayed when it next has work. With the default the worker measured about 440 MB at 1,000 open contracts and
   * 550 MB at 10,000 (docs/benchmarks.md, "District scale on one worker"); the SDK's own default grows with the heap.
   */
  CPO_WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(200),
  /**
   * For tests and demos only: the date (YYYY-MM-DD) the client boundary takes as today when it checks a new
   * contract's term. Unset: the real date. Workflows always use Temporal's workflow time.
   */
  CPO_TODAY: ZDateSchema.optional(),
  /** Defaults to the Minneapolis policy shipped in this repository, wherever the command runs from. */
  CPO_POLICY_FILE: z
    .string()
    .min(1)
    .default(path.join(__dirname, '..', 'policies', 'minneapolis.json')),
});
export type TEnv = z.infer<typeof ZEnvSchema>;

export class ConfigError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv = process.env): TEnv {
  const result = ZEnvSchema.safeParse(source);
  if (!result.success) throw new ConfigError(`Invalid configuration: ${formatZodError(result.error)}`);
  if (Boolean(result.data.SMTP_USER) !== Boolean(result.data.SMTP_PASSWORD)) {
    throw new ConfigError('Invalid configuration: SMTP_USER and SMTP_PASSWORD go together');
  }
  if (result.data.CPO_DOCUMENT_STORE === 's3' && !result.data.CPO_S3_BUCKET) {
    throw new ConfigError('Invalid configuration: CPO_S3_BUCKET is required when CPO_DOCUMENT_STORE=s3');
  }
  if (Boolean(result.data.CPO_S3_ACCESS_KEY_ID) !== Boolean(result.data.CPO_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration: CPO_S3_ACCESS_KEY_ID and CPO_S3_SECRET_ACCESS_KEY go together');
  }
  if (result.data.CPO_SIGNING_P12_FILE && result.data.CPO_SIGNING_P12_BASE64) {
    throw new ConfigError('Invalid configuration: CPO_SIGNING_P12_FILE and CPO_SIGNING_P12_BASE64 are alternatives: set one, not both');
  }
  const oidcSettings = ['CPO_OIDC_CLIENT_ID', 'CPO_OIDC_CLIENT_SECRET', 'CPO_OIDC_REDIRECT_URL', 'CPO_OIDC_ROLE_MAPPING'] as const;
  if (!result.data.CPO_OIDC_ISSUER && oidcSettings.some((name) => result.data[name] !== undefined)) {
    throw new ConfigError('Invalid configuration: CPO_OIDC_ISSUER is required when other CPO_OIDC_ settings are set');
  }
  if (result.data.CPO_OIDC_ISSUER) {
    const missing = oidcSettings.filter((name) => result.data[name] === undefined);
    if (missing.length > 0)
      throw new ConfigError(
        `Invalid configuration: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when CPO_OIDC_ISSUER is set`,
      );
  }
  return result.data;
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../domain/search-attributes';
import { EAGER_ACTIVITIES, VISIBILITY_RPS } from '../../scripts/dev-server';
import { appEnvironment, SHARED_APP_SETTINGS, STACK_ONLY_SETTINGS, STACK_WORKERS, webEnvironment } from '../../scripts/stack-environment';
import { MAILPIT_VERSION, TEMPORAL_SERVER_VERSION } from '../../scripts/stack-tools';
import {
  DYNAMIC_CONFIG_FILE,
  NAMESPACE_RETENTION_HOURS,
  TEMPORAL_CONFIG_NAME,
  TEMPORAL_SCHEMAS,
  TEMPORAL_SQL_PLUGIN,
} from '../../scripts/temporal-stack';

// docker-compose.yml cannot run here (no Docker engine); `npm run stack` runs the same topology. This keeps them equal.
const REPO = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');
type TService = {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  entrypoint?: string[];
  deploy?: { replicas?: string };
};
// merge: the web service takes the workers' settings with `<<: *cpo-environment`.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, TService> };
const service = (name: string): TService => compose.services[name] ?? {};

/** ${VAR:-default} as its default, ${VAR:?message} as a placeholder: what compose passes with an empty .env. */
const withDefaults = (value: string): string =>
  String(value)
    .replace(/\$\{[A-Z_0-9]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{[A-Z_0-9]+:\?[^}]*\}/g, '<required>');
const environmentOf = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, withDefaults(value)]));

/** deploy/temporal-server.yaml rendered as the server does, for `{{ env "X" | default "Y" }}` (the only form it uses). */
const ZServerConfigSchema = z.looseObject({
  persistence: z.looseObject({
    defaultStore: z.string(),
    visibilityStore: z.string(),
    numHistoryShards: z.number(),
    datastores: z.record(z.string(), z.looseObject({ sql: z.record(z.string(), z.unknown()) })),
  }),
  dynamicConfigClient: z.looseObject({ filepath: z.string() }),
});
function renderServerConfig(env: Record<string, string>): z.infer<typeof ZServerConfigSchema> {
  const template = read(`deploy/${TEMPORAL_CONFIG_NAME}.yaml`);
  const rendered = template.replace(
    /\{\{ env "([A-Z_0-9]+)" \| default "([^"]*)" \}\}/g,
    (_, name: string, fallback: string) => env[name] ?? fallback,
  );
  expect(rendered).not.toContain('{{');
  return ZServerConfigSchema.parse(parse(rendered));
}

/** The host file a service mounts at `target`. */
const mountedAt = (name: string, target: string): string | undefined =>
  service(name)
    .volumes?.map((volume) => volume.split(':'))
    .find(([, to]) => to === target)?.[0];

describe('docker-compose.yml matches the production stack (npm run stack)', () => {
  it('runs the same Temporal server release and the admin tools of that release', () => {
    expect(service('temporal').image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    for (const name of ['temporal-schema', 'temporal-search-attributes'])
      expect(service(name).image).toMatch(new RegExp(`^temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.replace(/\./g, '\\.')}-`));
    expect(service('mailpit').image).toBe(`axllent/mailpit:v${MAILPIT_VERSION}`);
  });

  it('starts the server from deploy/temporal-server.yaml, as the stack does', () => {
    const entrypoint = service('temporal').entrypoint ?? [];
    const flag = (name: string) => entrypoint[entrypoint.indexOf(name) + 1];
    const configPath = path.posix.join(flag('--root')!, flag('--config')!, `${flag('--env')}.yaml`);
    expect(flag('--env')).toBe(TEMPORAL_CONFIG_NAME);
    expect(mountedAt('temporal', configPath)).toBe(`./deploy/${TEMPORAL_CONFIG_NAME}.yaml`);
  });

  it('keeps persistence and visibility on PostgreSQL with the schemas the stack applies', () => {
    const composeConfig = renderServerConfig(environmentOf('temporal'));
    const stackConfig = renderServerConfig({});
    for (const config of [composeConfig, stackConfig]) {
      const stores = config.persistence.datastores;
      expect(stores[config.persistence.defaultStore]?.sql).toMatchObject({
        pluginName: TEMPORAL_SQL_PLUGIN,
        databaseName: TEMPORAL_SCHEMAS[0].database,
      });
      expect(stores[config.persistence.visibilityStore]?.sql).toMatchObject({
        pluginName: TEMPORAL_SQL_PLUGIN,
        databaseName: TEMPORAL_SCHEMAS[1].database,
      });
    }
    expect(composeConfig.persistence.datastores['postgres-default']?.sql.connectAddr).toBe('postgres:5432');
    expect(composeConfig.persistence.numHistoryShards).toBe(stackConfig.persistence.numHistoryShards);

    const schemaJob = environmentOf('temporal-schema');
    expect(schemaJob.SQL_PLUGIN).toBe(TEMPORAL_SQL_PLUGIN);
    expect(schemaJob.CPO_TEMPORAL_SCHEMAS!.split(' ')).toEqual(
      TEMPORAL_SCHEMAS.map(({ database, schemaName }) => `${database}=${schemaName}`),
    );
    // The server and the schema job log in as the same PostgreSQL user.
    expect(environmentOf('temporal').POSTGRES_USER).toBe(schemaJob.SQL_USER);
    expect(environmentOf('temporal').POSTGRES_PWD).toBe(schemaJob.SQL_PASSWORD);
  });

  it('uses the same dynamic config file', () => {
    const target = environmentOf('temporal').TEMPORAL_DYNAMIC_CONFIG_FILE!;
    expect(mountedAt('temporal', target)).toBe(`./${path.relative(REPO, DYNAMIC_CONFIG_FILE)}`);
    expect(renderServerConfig(environmentOf('temporal')).dynamicConfigClient.filepath).toBe(target);
    const dynamicConfig = z.record(z.string(), z.unknown()).parse(parse(readFileSync(DYNAMIC_CONFIG_FILE, 'utf8')));
    expect(dynamicConfig['frontend.namespaceRPS.visibility']).toEqual([{ value: VISIBILITY_RPS, constraints: {} }]);
    expect(dynamicConfig['system.enableActivityEagerExecution']).toEqual([{ value: EAGER_ACTIVITIES, constraints: {} }]);
  });

  it('registers the same namespace retention and search attributes', () => {
    const job = environmentOf('temporal-search-attributes');
    expect(job.TEMPORAL_NAMESPACE).toBe(SHARED_APP_SETTINGS.TEMPORAL_NAMESPACE);
    expect(job.TEMPORAL_NAMESPACE_RETENTION).toBe(`${NAMESPACE_RETENTION_HOURS}h`);
    expect(job.CPO_SEARCH_ATTRIBUTES!.split(' ')).toEqual([...SEARCH_ATTRIBUTE_REGISTRATIONS]);
  });

  it('gives the workers and the web process the same settings, addresses aside', () => {
    const stackWorker = appEnvironment({
      temporalAddress: '127.0.0.1:7233',
      smtpPort: 1025,
      s3: { endpoint: 'http://127.0.0.1:9000', accessKeyId: 'key', secretAccessKey: 'secret' },
      signingSecret: 'x'.repeat(32),
      signingP12Base64: 'MA==',
      httpPort: 3000,
      repliesPort: 2525,
      dataDir: 'data',
    });
    const composeWorker = environmentOf('worker');
    const stackOnly = new Set<string>(STACK_ONLY_SETTINGS);
    expect(Object.keys(composeWorker).sort()).toEqual(
      Object.keys(stackWorker)
        .filter((key) => !stackOnly.has(key))
        .sort(),
    );
    for (const [key, value] of Object.entries(SHARED_APP_SETTINGS)) expect([key, composeWorker[key]]).toEqual([key, value]);

    const stackWeb = webEnvironment(stackWorker, 'staff.json');
    const composeWeb = environmentOf('web');
    expect(Object.keys(composeWeb).sort()).toEqual(
      Object.keys(stackWeb)
        .filter((key) => !stackOnly.has(key))
        .sort(),
    );
    expect(service('worker').deploy?.replicas).toBe(`\${CPO_WORKER_REPLICAS:-${STACK_WORKERS}}`);
  });
});

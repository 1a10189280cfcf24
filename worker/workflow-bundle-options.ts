import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BundleOptions, DefaultLogger } from '@temporalio/worker';

/** The workflow code's entry point, which the SDK bundles for its sandbox. */
export const WORKFLOWS_PATH = require.resolve('../workflows');
const DOMAIN_DIR = join(__dirname, '..', 'domain');

/** Every module of `domain/`: pure functions and schemas, no per-workflow state. */
function domainModules(dir = DOMAIN_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? domainModules(join(dir, entry.name))
      : /\.[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/**
 * How the workflow code is bundled, for the worker, the tests and the history recorder alike.
 *
 * zod and `domain/` are preloaded: evaluated once into the sandbox's shared module cache (and frozen there), not once
 * per workflow. Without it every cached workflow carries its own zod and its own copy of every schema.
 */
export const workflowBundleOptions = (): BundleOptions => ({
  workflowsPath: WORKFLOWS_PATH,
  logger: new DefaultLogger('WARN'),
  preloadModules: ['zod', ...domainModules(), require.resolve('../workflows/settle-shared-modules')],
});

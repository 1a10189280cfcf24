import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflows } from '../helpers/temporal';

/** Packages the workflow bundle may import: deterministic, no Node built-ins. */
const ALLOWED_IN_WORKFLOW_CODE = ['zod', '@temporalio/workflow', '@temporalio/common'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

const WORKFLOW_CODE_FOLDERS = ['domain', 'workflows'].map((folder) => path.resolve(folder));
const IMPORT = /^\s*(import|export)(\s+type)?\b[^'";=]*?from\s+['"]([^'"]+)['"]/gm;

/** A lint rule in test form: a bad import fails CI, not the worker at start. */
test('domain/ and workflows/ import only each other, type-only code, and workflow-safe packages', () => {
  const offenders: string[] = [];
  for (const file of WORKFLOW_CODE_FOLDERS.flatMap(sourceFiles)) {
    for (const [, , typeOnly, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (typeOnly) continue; // types vanish from the bundle
      const allowed = specifier!.startsWith('.')
        ? WORKFLOW_CODE_FOLDERS.some((folder) => path.resolve(path.dirname(file), specifier!).startsWith(folder + path.sep))
        : ALLOWED_IN_WORKFLOW_CODE.includes(specifier!);
      if (!allowed) offenders.push(`${path.relative(process.cwd(), file)}: ${specifier}`);
    }
  }
  expect(offenders).toEqual([]);
});

test('the workflow bundle builds', async () => {
  const bundle = await bundleWorkflows();
  expect(bundle.code).toContain('contractWorkflow');
  expect(bundle.code).toContain('partnerWorkflow');
});

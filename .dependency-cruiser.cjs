/**
 * The layers, lowest first: a folder may import its own layer and the layers below it, never one above.
 * `npm test` runs this (`npm run lint:layers`); test/unit/layer-rules.test.ts proves the rules bite.
 * Why each folder sits where it does is in the README, "Architecture: layers".
 */
const LAYERS = [
  'domain', // pure rules and schemas, bundled into workflows
  'workflows', // deterministic; reach activities only through their types
  'security', // tokens, passwords, signing credentials (no Temporal client)
  'config', // environment, policy and staff files
  'activities',
  'client', // the Temporal client: starts, queries, updates; opens the requests a token names
  'worker',
  'inbound', // the reply listener
  'server', // web server; server/start-endpoints.ts starts the reply listener beside it
  'scripts', // commands and the dev stack
  'bench|reliability',
  'test',
];
// policies/ holds the district policy files (data, read by config/load-policy.ts), not code: tests may import them.
const DATA = ['policies'];

/** The layers above a layer; for workflows, activities are left to workflows-use-activities-as-types (types are allowed). */
const above = (index) => LAYERS.slice(index + 1).filter((layer) => LAYERS[index] !== 'workflows' || layer !== 'activities');

const upwardRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `${layer.split('|')[0]}-points-down`,
  comment: `${layer} may import only itself and ${LAYERS.slice(0, index).join(', ') || 'nothing else'}`,
  severity: 'error',
  from: { path: `^(${layer})/` },
  to: { path: `^(${above(index).join('|')})/` },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upwardRules,
    {
      name: 'folder-has-a-layer',
      comment: 'Every imported folder has a place in LAYERS (add a new folder there, where its imports put it).',
      severity: 'error',
      from: {},
      to: {
        dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: `^(${[...LAYERS, ...DATA].join('|')}|node_modules)/`,
      },
    },
    {
      name: 'no-cycles',
      comment: 'Files must not import each other, directly or round a loop (type-only imports count too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'workflows-use-activities-as-types',
      comment: 'Workflow code runs in the sandbox: it reaches activities through proxyActivities and their types only.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-imported-as-types',
      comment: 'The worker bundles workflows by path; other code may import only their types.',
      severity: 'error',
      from: { pathNot: '^workflows/' },
      to: { path: '^workflows/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ is bundled into workflows: no Node built-ins, and no packages beyond zod and the Temporal message definitions.',
      severity: 'error',
      from: { path: '^(domain|workflows)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'domain-packages',
      comment: 'domain/ and workflows/ use only zod and the Temporal workflow/common packages.',
      severity: 'error',
      from: { path: '^(domain|workflows)/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        pathNot: '^node_modules/(zod|@temporalio/(common|workflow))/',
      },
    },
  ],
  options: {
    // Deliberate violations that the rule's own test cruises.
    exclude: { path: '^(node_modules|test/fixtures/layers)/' },
    doNotFollow: { path: 'node_modules' },
    // Absolute, so the rule's own test can cruise its fixture tree from there.
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    // Type-only imports are kept, so a type cycle counts as a cycle.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

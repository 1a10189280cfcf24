// Policy maps (routes, offices, agency records by route) are looked up by keys that come from input: a key every
// object inherits (`constructor`, `toString`, `__proto__`) is not a route, at the CLI, in the policy, and in a
// workflow started past the client.
import { EXIT } from '../../client/cli/run-cli';
import { requiredRecords } from '../../domain/agency-records';
import { resolveParty } from '../../domain/contract-rules';
import { ZPolicySchema } from '../../domain/policy';
import { contractWorkflowId } from '../../domain/vocabulary';
import { readOnlyContext, runCpo } from '../helpers/cli-harness';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { contextFor, eventually, testPolicy, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const INHERITED_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];
const VALID_ROUTES = 'department_paid, zero_dollar, afterschool_enrichment, afterschool_academic';

test.each(INHERITED_KEYS)('`cpo contract start --route %s` is refused, naming the routes there are, and starts nothing', async (route) => {
  // No worker: a command that passed validation would reach a start, which the read-only context refuses.
  const context = contextFor(temporal.env, uniqueTaskQueue('route-cli'));
  const contractId = uniqueId('inherited');
  const run = await runCpo(readOnlyContext(context), [
    'contract',
    'start',
    '--contract-id',
    contractId,
    '--partner-id',
    uniqueId('partner'),
    '--program-name',
    'Robotics club',
    '--service',
    'enrichment',
    '--school',
    'Roosevelt High',
    '--route',
    route,
    '--amount',
    '0',
    '--start-date',
    '2026-09-01',
    '--end-date',
    '2027-06-10',
    '--initiated-by-name',
    'CPO Staff',
    '--partner-signer-name',
    'Farhiya Ali',
    '--partner-signer-email',
    'f@x.example',
  ]);
  expect(run).toMatchObject({ code: EXIT.badInput, out: '' });
  expect(run.err).toContain(`--route: "${route}" is not a route of Minneapolis Public Schools; use one of: ${VALID_ROUTES}`);
});

test('a workflow started past the client with an inherited route fails at once with InvalidInput instead of retrying', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'route-workflow');
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('constructor-route');
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    const handle = await temporal.env.client.workflow.start('contractWorkflow', {
      workflowId: contractWorkflowId(contractId),
      taskQueue: context.taskQueue,
      args: [{ request: contractRequest(contractId, partnerId, { route: 'constructor' }), policy: context.policy }],
    });
    // A workflow task that throws a plain error is retried for ever, and the execution stays RUNNING.
    await eventually(async () => (await handle.describe()).status.name !== 'RUNNING');
    await expect(handle.result()).rejects.toMatchObject({
      cause: {
        type: 'InvalidInput',
        message: expect.stringContaining(`route: "constructor" is not a route of Minneapolis Public Schools; use one of: ${VALID_ROUTES}`),
      },
    });
  });
});

test('a policy naming an inherited key as an office or a route of agency records is refused', () => {
  const policy = testPolicy();
  const route = policy.routes.zero_dollar!;
  const naming = (party: string) =>
    ZPolicySchema.safeParse({ ...policy, routes: { ...policy.routes, zero_dollar: { ...route, districtSigner: party } } });
  // `constructor` is the inherited key that passes the lower_snake_case rule for office keys.
  const parsed = naming('constructor');
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues[0]).toMatchObject({
    path: ['routes', 'zero_dollar', 'districtSigner'],
    message: expect.stringContaining('names office "constructor"'),
  });
  const byRoute = ZPolicySchema.safeParse({
    ...policy,
    agencyRecords: { ...policy.agencyRecords, byRoute: { constructor: ['background_check_affirmation'] } },
  });
  expect(byRoute.error?.issues[0]).toMatchObject({ path: ['agencyRecords', 'byRoute', 'constructor'] });

  // The lookups themselves find only the policy's own entries.
  expect(() => resolveParty(policy, { route: 'zero_dollar' }, 'constructor')).toThrow(/unknown office constructor/);
  expect(requiredRecords(policy, { route: 'constructor', category: 'contracted_partner', exchangesStudentData: false })).toEqual([
    'safety_attestation',
  ]);
});

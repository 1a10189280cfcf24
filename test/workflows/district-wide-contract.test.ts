import { amendContract, getContractStatus, renewContract, startContract } from '../../client/contracts';
import { CpoInputError, CpoRefusedError, explainTemporalErrors } from '../../client/errors';
import { searchContracts } from '../../client/search/search-contracts';
import { CpoSchools, fitSchools, MAX_SEARCH_ATTRIBUTE_VALUE_BYTES } from '../../domain/search-attributes';
import { contractWorkflowId } from '../../domain/vocabulary';
import { createFakeActivities } from '../helpers/fake-activities';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import {
  contextFor,
  createTestWorker,
  eventually,
  testPolicy,
  uniqueId,
  uniqueTaskQueue,
  useTemporalTestEnvironment,
  withSchools,
} from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const taskQueue = uniqueTaskQueue('district-wide');
const partnerId = uniqueId('district-wide-partner');

// Ordinary long names, as a district-wide program lists them ("… Community Elementary").
const NEIGHBORHOODS = [
  'Anishinabe',
  'Bancroft',
  'Bethune',
  'Burroughs',
  'Dowling',
  'Emerson',
  'Green Central',
  'Hale',
  'Hall',
  'Jefferson',
  'Kenny',
  'Lake Harriet',
  'Lyndale',
  'Marcy',
  'Nellie Stone Johnson',
];
const schoolNames = (count: number, suffix = 'Community Elementary'): string[] =>
  Array.from(
    { length: count },
    (_, i) => `${NEIGHBORHOODS[i % NEIGHBORHOODS.length]} ${suffix} ${Math.floor(i / NEIGHBORHOODS.length) + 1}`,
  );
/** 200 names of up to 200 characters. */
const LONGEST_NAMES = schoolNames(200, `Community Elementary ${'and Middle '.repeat(16)}`).map((name) =>
  `${name.slice(-20)} ${name}`.padEnd(200, '.').slice(0, 200).trimEnd(),
);
// A district with that many schools.
const policy = withSchools(testPolicy(), [...schoolNames(101), ...LONGEST_NAMES]);
const context = () => contextFor(temporal.env, taskQueue, policy);

beforeAll(async () => {
  temporal.runWorkerForFile(await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, createFakeActivities().activities));
  await readyPartner(context(), partnerId);
});

test('60 schools with long names start, every school is kept, and the school filter finds the contract by any of them', async () => {
  const schools = schoolNames(60);
  expect(new TextEncoder().encode(JSON.stringify(schools)).length).toBeGreaterThan(MAX_SEARCH_ATTRIBUTE_VALUE_BYTES); // more than one value holds
  const contractId = uniqueId('district-wide');
  const started = await startContract(context(), contractRequest(contractId, partnerId, { schools }));
  expect(started.request.schools).toEqual(schools);
  for (const school of [schools[0]!, schools[59]!]) {
    const found = await eventually(async () =>
      (await searchContracts(context(), { school, partnerId })).contracts.find((c) => c.contractId === contractId),
    );
    expect(found.schools).toEqual(schools);
  }
  await eventually(async () => (await getContractStatus(context(), contractId)).stage === 'awaiting_partner_signature');
});

test('a policy allowing 200 schools of up to 200 characters starts such a contract: what fits is searchable, the rest stays in the workflow', async () => {
  const wide = { ...policy, maxSchoolsPerContract: 200 };
  const schools = LONGEST_NAMES;
  const fitted = fitSchools(schools);
  expect(fitted.left.length).toBeGreaterThan(0);
  const contractId = uniqueId('district-max');
  const started = await startContract({ ...context(), policy: wide }, contractRequest(contractId, partnerId, { schools }));
  expect(started.request.schools).toHaveLength(200);
  const listed = await eventually(async () =>
    (await searchContracts(context(), { school: fitted.more[0]!, partnerId })).contracts.find((c) => c.contractId === contractId),
  );
  expect(listed.schools).toEqual(schools);
});

test('more schools than the policy allows are refused naming schools and the limit, and nothing starts', async () => {
  const contractId = uniqueId('too-wide');
  const refusal = startContract(context(), contractRequest(contractId, partnerId, { schools: schoolNames(101) }));
  await expect(refusal).rejects.toBeInstanceOf(CpoInputError);
  await expect(refusal).rejects.toMatchObject({
    problems: [{ field: 'schools', message: 'lists 101 schools; Minneapolis Public Schools allows at most 100 on one contract' }],
  });
  await expect(getContractStatus(context(), contractId)).rejects.toThrow(/No contract with id/);
});

test('renewing or amending past the limit is refused naming the schools', async () => {
  const contractId = uniqueId('limit-amend');
  await startContract(context(), contractRequest(contractId, partnerId, { schools: schoolNames(99) }));
  await expect(
    amendContract(context(), contractId, { by: { name: 'CPO Staff' }, addSchools: ['Sanford Middle', 'Sullivan STEAM'] }),
  ).rejects.toMatchObject({
    problems: [
      {
        field: 'addSchools',
        message: "with the contract's 99 schools, lists 101 schools; Minneapolis Public Schools allows at most 100 on one contract",
      },
    ],
  });
  await expect(
    renewContract(context(), contractId, {
      by: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' },
      changes: { schools: schoolNames(101) },
    }),
  ).rejects.toMatchObject({
    problems: [{ field: 'changes.schools', message: expect.stringContaining('allows at most 100') }],
  });
});

test('a start Temporal refuses carries Temporal\'s reason, not just "Failed to start Workflow"', async () => {
  const id = uniqueId('oversized');
  const refusal = explainTemporalErrors({ kind: 'contract', id, field: 'contractId' }, () =>
    temporal.env.client.workflow.start('contractWorkflow', {
      workflowId: contractWorkflowId(id),
      taskQueue,
      args: [],
      typedSearchAttributes: [{ key: CpoSchools, value: schoolNames(80) }],
    }),
  );
  await expect(refusal).rejects.toBeInstanceOf(CpoRefusedError);
  await expect(refusal).rejects.toThrow(/Temporal refused the contract .*: .*CpoSchools.*exceeds size limit/);
});

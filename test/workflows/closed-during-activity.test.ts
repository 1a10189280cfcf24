// A contract voided (by the office, or by its partner's withdrawal) while one of its PDFs is being made stays voided:
// the flow does not go on to ask for signatures, execute the contract or email it.
import { getContractStatus, startContract, voidContract } from '../../client/contracts';
import { withdrawPartner } from '../../client/partners';
import type { TContractStatus } from '../../domain/schemas/contract';
import { createFakeActivities } from '../helpers/fake-activities';
import { signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { holdActivity } from '../helpers/hold-activity';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import {
  contextFor,
  contractHandle,
  createTestWorker,
  eventually,
  testPolicy,
  uniqueId,
  uniqueTaskQueue,
  useTemporalTestEnvironment,
} from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };

/** Fake activities whose `held` PDF activity waits, once started, until the test lets it finish. */
async function setUpHolding(name: string, held: 'generateContractPdf' | 'generateExecutedContractPdf') {
  const fakes = createFakeActivities();
  const { activities, whenStarted, release } = holdActivity(fakes.activities, held);
  const taskQueue = uniqueTaskQueue(name);
  const worker = await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, activities);
  return { worker, context: contextFor(temporal.env, taskQueue, testPolicy()), sent: fakes.sent, whenStarted, release };
}

/** The workflow's result once it has finished; a flow that waits for ever fails here instead of hanging the test. */
async function finished(contractId: string): Promise<TContractStatus> {
  const handle = contractHandle(temporal.env.client, contractId);
  await eventually(async () => (await handle.describe()).status.name !== 'RUNNING');
  return handle.result();
}

test('a partner withdrawal while the contract PDF is made voids the contract, and no signing link goes out', async () => {
  const { worker, context, sent, whenStarted, release } = await setUpHolding('void-while-drafting', 'generateContractPdf');
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    await whenStarted;
    await withdrawPartner(context, partnerId, { by: { name: 'Lan Nguyễn' }, reason: 'the organization is closing' });
    await waitForStage(context, contractId, 'voided');
    release();
    expect(await finished(contractId)).toMatchObject({
      stage: 'voided',
      closedReason: 'the partner withdrew: the organization is closing',
      signing: null,
    });
  });
  const contractMail = sent.filter((n) => n.kind !== 'attestation_request' && n.kind !== 'attestation_signed');
  expect(contractMail.map((n) => [n.kind, n.kind === 'contract_closed' && n.stage])).toEqual([['contract_closed', 'voided']]);
});

test('a void while the executed PDF is made keeps the contract voided: it is not executed and not emailed as executed', async () => {
  const { worker, context, sent, whenStarted, release } = await setUpHolding('void-while-executing', 'generateExecutedContractPdf');
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    await signWhenAsked(context, contractId, 'partner', { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });
    await signWhenAsked(context, contractId, 'district', cpoOffice);
    await whenStarted;
    // Both signatures are in, but the final signed contract is not made yet: the contract may still be voided.
    await voidContract(context, contractId, { by: { name: 'CPO Staff' }, reason: 'the school cancelled the program' });
    release();
    const result = await finished(contractId);
    expect(result).toMatchObject({ stage: 'voided', closedReason: 'the school cancelled the program', documents: { executed: null } });
    expect(result.history.map((h) => h.event)).not.toContain('executed');
    expect((await getContractStatus(context, contractId)).programStartBlockedReason).toMatch(/the contract is voided/);
  });
  expect(sent.filter((n) => n.kind === 'contract_executed' || n.kind === 'contract_live')).toEqual([]);
  expect(sent.at(-1)).toMatchObject({ kind: 'contract_closed', stage: 'voided' });
});

import { getContractStatus, signContract } from '../../client/contracts';
import type { TCpoContext } from '../../client/context';
import type { TPolicy } from '../../domain/policy';
import type { TSignerRole } from '../../domain/vocabulary';
import { renewalContractsFor } from '../../worker/create-worker';
import { createFakeActivities } from './fake-activities';
import { contextFor, createTestWorker, eventually, testPolicy, uniqueTaskQueue, type TTestTemporal } from './temporal';

/** A worker with fake activities on its own task queue, for tests whose point is the workflows' logic. */
export async function fakeWorkerFor(temporal: TTestTemporal, name: string, policy: TPolicy = testPolicy()) {
  const taskQueue = uniqueTaskQueue(name);
  const context = contextFor(temporal.env, taskQueue, policy);
  const { activities, sent } = createFakeActivities({ renewals: renewalContractsFor(context) });
  const worker = await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, activities);
  return { worker, context, sent };
}

export const waitForStage = (context: TCpoContext, contractId: string, stage: string) =>
  eventually(async () => (await getContractStatus(context, contractId)).stage === stage);

/** Waits until the contract (or its amendment) asks `role` to sign, then signs as `signer` on the document out for signature. */
export async function signWhenAsked(context: TCpoContext, contractId: string, role: TSignerRole, signer: { name: string; email: string }) {
  const signing = await eventually(async () => {
    const status = await getContractStatus(context, contractId);
    return status.signing?.role === role && status.signing;
  });
  return signContract(context, contractId, { role, ...signer, consent: true, method: 'cli', documentSha256: signing.document.sha256 });
}

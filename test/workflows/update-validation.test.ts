import type { WorkflowHandle } from '@temporalio/client';
import { getContractStatus, startContract } from '../../client/contracts';
import { applyPartner } from '../../client/partners';
import {
  certifyPartnerUpdate,
  declineContractUpdate,
  rejectPartnerUpdate,
  resendSignatureRequestUpdate,
  signAttestationUpdate,
  signContractUpdate,
  startProgramUpdate,
  startReviewUpdate,
  voidContractUpdate,
  withdrawPartnerUpdate,
} from '../../domain/messages';
import { contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { createFakeActivities } from '../helpers/fake-activities';
import { contractRequest, partnerApplication, readyPartner } from '../helpers/fixtures';
import { acceptedUpdateCount } from '../helpers/history';
import { contextFor, createTestWorker, eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
let partner: WorkflowHandle;
let freshPartner: WorkflowHandle;
let contract: WorkflowHandle;

beforeAll(async () => {
  const { env } = temporal;
  const taskQueue = uniqueTaskQueue('validators');
  temporal.runWorkerForFile(await createTestWorker(env, taskQueue, temporal.workflowBundle, createFakeActivities().activities));
  const context = contextFor(env, taskQueue);
  const [partnerId, freshId, contractId] = [uniqueId('p'), uniqueId('fresh'), uniqueId('c')];
  await readyPartner(context, partnerId);
  await applyPartner(context, partnerApplication(freshId));
  await startContract(context, contractRequest(contractId, partnerId));
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'awaiting_partner_signature');
  partner = env.client.workflow.getHandle(partnerWorkflowId(partnerId));
  freshPartner = env.client.workflow.getHandle(partnerWorkflowId(freshId));
  contract = env.client.workflow.getHandle(contractWorkflowId(contractId));
});

// Payloads sent straight to Temporal, past the client's own checks: the workflows' validators must refuse them.
const sha = 'c'.repeat(64);
const cases: [string, () => WorkflowHandle, () => Promise<unknown>, RegExp][] = [
  [
    'startReview without a reviewer',
    () => freshPartner,
    () => freshPartner.executeUpdate(startReviewUpdate, { args: [{} as never] }),
    /reviewer: /,
  ],
  [
    'certifyPartner with a numeric reviewer',
    () => freshPartner,
    () => freshPartner.executeUpdate(certifyPartnerUpdate, { args: [{ reviewer: { name: 42 } } as never] }),
    /reviewer\.name: /,
  ],
  [
    'rejectPartner without a reason',
    () => freshPartner,
    () => freshPartner.executeUpdate(rejectPartnerUpdate, { args: [{ reviewer: { name: 'R' } } as never] }),
    /reason: /,
  ],
  [
    'withdrawPartner with an empty name',
    () => freshPartner,
    () => freshPartner.executeUpdate(withdrawPartnerUpdate, { args: [{ by: { name: ' ' }, reason: 'closing' }] }),
    /by\.name: is required/,
  ],
  [
    'signAttestation with a bad hash',
    () => partner,
    () =>
      partner.executeUpdate(signAttestationUpdate, {
        args: [{ name: 'L', title: 'D', email: 'l@x.example', consent: true, documentSha256: 'xyz' }],
      }),
    /documentSha256: must be a SHA-256/,
  ],
  [
    'signContract without consent',
    () => contract,
    () =>
      contract.executeUpdate(signContractUpdate, {
        args: [{ role: 'partner', name: 'L', email: 'l@x.example', consent: false as never, documentSha256: sha, method: 'link' }],
      }),
    /consent: must be true/,
  ],
  [
    'signContract by an unknown method',
    () => contract,
    () =>
      contract.executeUpdate(signContractUpdate, {
        args: [{ role: 'partner', name: 'L', email: 'l@x.example', consent: true, documentSha256: sha, method: 'fax' as never }],
      }),
    /method: /,
  ],
  [
    'declineContract without a reason',
    () => contract,
    () => contract.executeUpdate(declineContractUpdate, { args: [{ by: { name: 'L' } } as never] }),
    /reason: /,
  ],
  [
    'voidContract with a bad email',
    () => contract,
    () => contract.executeUpdate(voidContractUpdate, { args: [{ by: { name: 'C', email: 'nope' }, reason: 'cancelled' }] }),
    /by\.email: must be an email address/,
  ],
  [
    'resendSignatureRequest without who asks',
    () => contract,
    () => contract.executeUpdate(resendSignatureRequestUpdate, { args: [{} as never] }),
    /by: /,
  ],
  [
    'startProgram with an empty payload',
    () => contract,
    () => contract.executeUpdate(startProgramUpdate, { args: [null as never] }),
    /Invalid input/,
  ],
];

test.each(cases)('%s is rejected by the validator and enters no history', async (_name, target, send, message) => {
  const before = await acceptedUpdateCount(target());
  await expect(send()).rejects.toMatchObject({ cause: { message: expect.stringMatching(message) } });
  expect(await acceptedUpdateCount(target())).toBe(before);
});

// The renewal opens as the contract goes live: a decision taken while the go-live email is still being sent is
// recorded, not refused with "Cannot decide the renewal while the stage is live".
import { declineRenewal, getContractStatus, startContract } from '../../client/contracts';
import { createFakeActivities } from '../helpers/fake-activities';
import { signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { holdActivity } from '../helpers/hold-activity';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { contextFor, createTestWorker, testPolicy, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };

test('a renewal decided while the go-live email is sent is recorded', async () => {
  const fakes = createFakeActivities();
  const liveNotice = holdActivity(fakes.activities, 'sendNotification', (notification) => notification.kind === 'contract_live');
  const taskQueue = uniqueTaskQueue('renewal-at-go-live');
  const worker = await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, liveNotice.activities);
  const context = contextFor(temporal.env, taskQueue, testPolicy());
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, { goLiveDate: new Date().toISOString() }));
    await signWhenAsked(context, contractId, 'partner', { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });
    await signWhenAsked(context, contractId, 'district', cpoOffice);
    await liveNotice.whenStarted;
    await waitForStage(context, contractId, 'live');
    try {
      await expect(declineRenewal(context, contractId, { by: cpoOffice, reason: 'the school ends the program in June' })).resolves.toBe(
        'live',
      );
    } finally {
      liveNotice.release();
    }
    expect((await getContractStatus(context, contractId)).renewal).toMatchObject({
      decision: 'not_renewed',
      reason: 'the school ends the program in June',
    });
  });
});

// A partner whose history is long enough to continue as new waits for its attestation emails first; a change of
// standing meanwhile (here a termination while an attestation email retries) still reaches its contracts at once.
import { startContract, startProgram } from '../../client/contracts';
import {
  certifyPartner,
  getPartnerStatus,
  recordAgencyRecord,
  signAttestation,
  startPartnerReview,
  terminatePartner,
} from '../../client/partners';
import { partnerWorkflowId } from '../../domain/vocabulary';
import { createFakeActivities } from '../helpers/fake-activities';
import { signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication } from '../helpers/fixtures';
import {
  contextFor,
  createTestWorker,
  eventually,
  testPolicy,
  uniqueId,
  uniqueTaskQueue,
  useTemporalTestEnvironment,
} from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const staff = { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' };
const CONTINUE_AS_NEW_AFTER_EVENTS = 30;

test('a termination while an attestation email retries before continue-as-new still ends the live contracts', async () => {
  const fakes = createFakeActivities();
  let attestationMailDown = false;
  const activities = {
    ...fakes.activities,
    sendNotification: async (notification: Parameters<typeof fakes.activities.sendNotification>[0]) => {
      if (attestationMailDown && notification.kind === 'attestation_request')
        throw new Error('451 4.3.2 mail server busy, try again later');
      return fakes.activities.sendNotification(notification);
    },
  };
  const taskQueue = uniqueTaskQueue('partner-draining');
  const context = contextFor(temporal.env, taskQueue, testPolicy());
  const worker = await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, activities);
  const partnerId = uniqueId('partner');
  const [live, nextYear] = [uniqueId('live'), uniqueId('next-year')];
  const representative = partnerApplication(partnerId).representative;
  await worker.runUntil(async () => {
    await temporal.env.client.workflow.start('partnerWorkflow', {
      workflowId: partnerWorkflowId(partnerId),
      taskQueue,
      args: [
        { application: partnerApplication(partnerId), policy: context.policy, continueAsNewAfterEvents: CONTINUE_AS_NEW_AFTER_EVENTS },
      ],
    });
    await startPartnerReview(context, partnerId, { reviewer: staff });
    await certifyPartner(context, partnerId, { reviewer: staff, checklist: ALL_CRITERIA_MET });
    await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await signAttestation(context, partnerId, { ...representative, consent: true });
    await startContract(context, contractRequest(live, partnerId, { goLiveDate: new Date().toISOString() }));
    await signWhenAsked(context, live, 'partner', representative);
    await signWhenAsked(context, live, 'district', staff);
    await waitForStage(context, live, 'live');

    // Next school year's contract asks for next year's attestation, whose email now retries.
    attestationMailDown = true;
    await startContract(
      context,
      contractRequest(nextYear, partnerId, { startDate: '2027-09-01', endDate: '2028-06-10', goLiveDate: '2027-09-01' }),
    );
    await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests.length === 2);
    for (const kind of ['background_check_affirmation', 'photo_video_consent_practice', 'data_sharing_agreement'] as const) {
      await recordAgencyRecord(context, partnerId, {
        kind,
        by: staff,
        statement: 'Recorded from the paper form on file.',
        documentSha256: 'c'.repeat(64),
      });
    }
    // The agency's run is now long enough to continue as new, and waits for the attestation email to be sent.
    const partner = temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId));
    await eventually(async () => (await partner.describe()).historyLength >= CONTINUE_AS_NEW_AFTER_EVENTS);
    expect((await partner.describe()).status.name).toBe('RUNNING');

    await terminatePartner(context, partnerId, { by: staff, reason: 'staff entered a school without checking in' });
    await waitForStage(context, live, 'terminated');
    await waitForStage(context, nextYear, 'voided');
    await expect(startProgram(context, live, { by: { name: 'Principal' } })).rejects.toThrow(
      /Program cannot start: the contract is terminated/,
    );
  });
  expect(fakes.sent.filter((n) => n.kind === 'attestation_request')).toHaveLength(1);
});

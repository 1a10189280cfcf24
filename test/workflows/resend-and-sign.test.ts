// A resend and the signature it would replace, handled in the same workflow activation: the signature answers the
// request, and the next request (the district's) is not recorded as "resent" by the staff member.
import { getContractStatus, startContract } from '../../client/contracts';
import { resendSignatureRequestUpdate, signContractUpdate } from '../../domain/messages';
import { contractWorkflowId } from '../../domain/vocabulary';
import { sendAdmittedTogether } from '../helpers/admitted-together';
import { createFakeActivities } from '../helpers/fake-activities';
import { waitForStage } from '../helpers/fake-worker';
import { contractRequest, readyPartner } from '../helpers/fixtures';
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

test.each([
  ['the signature first: the resend is refused', 'sign', 'resend'],
  ['the resend first: the signature answers the request and the resend lapses', 'resend', 'sign'],
] as const)('%s', async (_title, first, second) => {
  const taskQueue = uniqueTaskQueue('resend-and-sign');
  const context = contextFor(temporal.env, taskQueue, testPolicy());
  const fakes = createFakeActivities();
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  const workflowId = contractWorkflowId(contractId);
  const awaitingPartner = await (
    await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, fakes.activities)
  ).runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    // Stopped only once the request email is sent: an activity left running would be retried after its timeout.
    return eventually(async () => {
      const status = await getContractStatus(context, contractId);
      return status.history.some((entry) => entry.event === 'signature_request_sent') && status;
    });
  });

  // No worker polls now: both updates wait at the server and reach the workflow in one activation.
  const handle = temporal.env.client.workflow.getHandle(workflowId);
  const send = {
    sign: (updateId: string) =>
      handle.executeUpdate(signContractUpdate, {
        updateId,
        args: [
          {
            role: 'partner',
            name: 'Lan Nguyễn',
            email: `lan@${partnerId}.example`,
            consent: true,
            method: 'cli',
            documentSha256: awaitingPartner.documents.contract!.sha256,
          },
        ],
      }),
    resend: (updateId: string) =>
      handle.executeUpdate(resendSignatureRequestUpdate, { updateId, args: [{ by: { name: 'Staff Member Sam' } }] }),
  };
  const [firstOutcome, secondOutcome] = await sendAdmittedTogether(temporal.env.client, workflowId, [send[first], send[second]]);

  await (
    await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, fakes.activities)
  ).runUntil(async () => {
    const [resendOutcome, signOutcome] =
      first === 'resend' ? [await firstOutcome, await secondOutcome] : [await secondOutcome, await firstOutcome];
    expect(signOutcome).toMatchObject({ role: 'partner', requestNumber: 1 });
    if (first === 'sign')
      expect(resendOutcome).toMatchObject({
        cause: { message: expect.stringMatching(/already signed request #1; there is nothing to resend/) },
      });

    await waitForStage(context, contractId, 'awaiting_district_signature');
    const status = await getContractStatus(context, contractId);
    expect(status.signing).toMatchObject({ role: 'district', requestNumber: 2 });
    const districtRequest = status.history.filter((entry) => entry.stage === 'awaiting_district_signature').at(0);
    expect(districtRequest).toMatchObject({ event: 'signature_requested' });
    expect(districtRequest).not.toHaveProperty('actor');
    expect(status.signingEvents.filter((event) => event.role === 'district').map((event) => event.type)).toEqual(['sent']);
    // An accepted resend that lapsed is kept in the history, with who asked for it.
    const lapsed = status.history.filter((entry) => entry.event === 'resend_lapsed');
    expect(lapsed).toEqual(
      first === 'resend' ? [expect.objectContaining({ actor: 'Staff Member Sam', detail: 'request #1 was answered first' })] : [],
    );
  });
});

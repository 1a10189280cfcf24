// Page views of a signing link are recorded once per request and client, and a request keeps a bounded number of
// them: a link scanner or repeated reloads cannot grow the certificate of completion without end.
import { getContractStatus, recordSigningView, startContract } from '../../client/contracts';
import { contractWorkflowId } from '../../domain/vocabulary';
import { fakeWorkerFor, waitForStage } from '../helpers/fake-worker';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { waitUntilIdle } from '../helpers/known-workflows';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();

test('repeated views by one client count once, and a request keeps at most 20 views', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'signing-views');
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    const view = { role: 'partner', requestNumber: 1, ipAddress: '203.0.113.7', userAgent: 'Partner browser' };
    for (let reload = 0; reload < 15; reload++) await recordSigningView(context, contractId, view);
    for (let scan = 0; scan < 40; scan++)
      await recordSigningView(context, contractId, { ...view, ipAddress: `198.51.100.${scan}`, userAgent: 'LinkScanner/1.0' });
    await waitUntilIdle(temporal.env.client.workflow.getHandle(contractWorkflowId(contractId)));

    const views = (await getContractStatus(context, contractId)).signingEvents.filter((event) => event.type === 'viewed');
    expect(views).toHaveLength(20);
    expect(views.filter((event) => event.userAgent === 'Partner browser')).toHaveLength(1);
    expect(new Set(views.map((event) => `${event.ipAddress} ${event.userAgent}`)).size).toBe(20);
  });
});

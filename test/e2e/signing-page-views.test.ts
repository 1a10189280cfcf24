// Opening a signing link again, or checking it with HEAD as link scanners do, does not send the contract another
// view: its history grows by one signal per request and client, however often the page is opened.
import { contractWorkflowId } from '../../domain/vocabulary';
import { recordSigningViewSignal } from '../../domain/messages';
import { contractAwaitingPartner, useRealPipeline } from '../helpers/real-pipeline';
import { eventually, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {} });

test('reloads and HEAD requests of a signing page send one view per request and client', async () => {
  const { contractId, request } = await contractAwaitingPartner(pipeline);
  const link = /(http:\/\/127\.0\.0\.1:\d+\/sign\/[A-Za-z0-9_.-]+)/.exec(request.parsed.text ?? '')![1]!;
  const open = async (method: 'GET' | 'HEAD', userAgent: string) => {
    const response = await fetch(link, { method, headers: { 'user-agent': userAgent } });
    await response.text();
    return response;
  };
  for (let reload = 0; reload < 4; reload++) expect((await open('GET', 'Partner browser')).status).toBe(200);
  for (let check = 0; check < 3; check++) expect((await open('HEAD', 'LinkScanner/1.0')).status).toBe(200);
  expect((await open('GET', 'Phone browser')).status).toBe(200);

  const handle = temporal.env.client.workflow.getHandle(contractWorkflowId(contractId));
  const viewSignals = async () =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (event) => event.workflowExecutionSignaledEventAttributes?.signalName === recordSigningViewSignal.name,
    );
  const signals = await eventually(async () => {
    const found = await viewSignals();
    return found.length >= 2 && found;
  });
  expect(signals).toHaveLength(2);
});

import { ApplicationFailure } from '@temporalio/common';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { startRenewalContract } from '../../activities/start-renewal-contract';
import { getContractStatus } from '../../client/contracts';
import { contractWorkflowId } from '../../domain/vocabulary';
import { setUpPartners, startContracts } from '../../reliability/drive-lifecycles';
import { waitFor } from '../../reliability/wait-for-progress';
import { startReliabilityStack, type TReliabilityStack } from '../../reliability/stack';
import type { TCaughtMail } from '../../scripts/smtp-catcher';
import { renewalContractsFor } from '../../worker/create-worker';
import { eventually } from '../helpers/temporal';

// An outage is not a refusal: with the Temporal server (or the worker) of a test-owned stack really down, signers
// are told to try again (HTTP 503, SMTP 451), never "not found", "not understood" or an unexplained 500.
let stack: TReliabilityStack;
let contractId: string;
let request: TCaughtMail;
beforeAll(async () => {
  stack = await startReliabilityStack();
  const partnerIds = await setUpPartners(stack.context, 'outage', 1);
  [contractId] = (await startContracts(stack.context, 'outage', partnerIds, 1)) as [string];
  await waitFor(
    'the signature request',
    () =>
      stack.mail.messages.some(
        (m) => m.parsed.headers.get('x-cpo-contract') === contractId && m.parsed.headers.get('x-cpo-notification') === 'signature_request',
      ),
    {
      timeoutMs: 60_000,
      pollMs: 200,
    },
  );
  request = stack.mail.messages.find((m) => m.parsed.headers.get('x-cpo-notification') === 'signature_request')!;
}, 180_000);
afterAll(() => stack?.close());

const signingLink = (): string => /(http:\/\/[^\s/]+\/sign\/[A-Za-z0-9_.-]+)/.exec(request.parsed.text ?? '')![1]!;
const replyFromPartner = (): Mail.Options => ({
  from: request.envelopeTo[0],
  to: request.parsed.replyTo!.value[0]!.address,
  subject: `Re: ${request.parsed.subject}`,
  messageId: '<outage-reply@partner.example>',
  text: 'I agree to sign.\nName: Lan Nguyễn',
});
async function sendReply(message: Mail.Options): Promise<void> {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port: stack.repliesPort, secure: false, ignoreTLS: true });
  try {
    await client.sendMail(message);
  } finally {
    client.close();
  }
}
const answersOf = (outcome: string) => stack.mail.messages.filter((m) => m.parsed.headers.get('x-cpo-reply-outcome') === outcome);

test('Temporal server down: the signing page, its form and the API answer 503 "try again"; an emailed reply gets 451 and, sent again, signs once', async () => {
  await stack.temporal.stop();
  try {
    const page = await fetch(signingLink());
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('60');
    expect(await page.text()).toContain('try again in a minute');

    const post = await fetch(signingLink(), { method: 'POST', body: new URLSearchParams({ consent: 'yes', name: 'Lan Nguyễn' }) });
    expect(post.status).toBe(503);
    expect(await post.text()).toContain('try again in a minute');

    const api = await fetch(`${stack.baseUrl}/api/contracts/${contractId}`, { headers: { authorization: stack.apiAuthorization } });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toContain('try again in a minute');

    await expect(sendReply(replyFromPartner())).rejects.toMatchObject({ responseCode: 451 });
    expect(answersOf('not_found')).toEqual([]);
  } finally {
    await stack.temporal.start();
  }
  // The sender's mail server tries again later; now it is handled, once.
  await sendReply(replyFromPartner());
  await eventually(async () => (await getContractStatus(stack.context, contractId)).stage === 'awaiting_district_signature', 60_000);
  const status = await getContractStatus(stack.context, contractId);
  expect(status.signatures.map((s) => [s.role, s.name, s.method])).toEqual([['partner', 'Lan Nguyễn', 'email_reply']]);
  expect(answersOf('signed')).toHaveLength(1);
}, 180_000);

test("an outage while starting next year's contract is retried, not refused", async () => {
  const previous = (await getContractStatus(stack.context, contractId)).request;
  const input = { previous, renewal: { by: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' }, changes: {} }, nextSchoolYear: '2027-2028' };
  const contracts = renewalContractsFor(stack.context);
  // The server goes down between the activity's look-up and its start of the new contract.
  const interrupted = startRenewalContract({
    ...contracts,
    status: async (id) => {
      const found = await contracts.status(id);
      await stack.temporal.stop();
      return found;
    },
  })(input);
  try {
    const error = await interrupted.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeDefined();
    expect(error instanceof ApplicationFailure && error.nonRetryable).toBe(false);
    expect((error as Error).message).toContain('try again in a minute');
  } finally {
    await stack.temporal.start();
  }
  // Temporal's retry of the activity then starts the contract, once.
  const retried = await eventually(() => startRenewalContract(contracts)(input).catch(() => undefined), 60_000);
  const renewal = await getContractStatus(stack.context, retried.contractId);
  expect(renewal.request.renewalOf).toBe(contractId);
  const runs = () => stack.context.client.workflow.count(`WorkflowId = '${contractWorkflowId(retried.contractId)}'`).then((r) => r.count);
  await eventually(async () => (await runs()) > 0);
  expect(await runs()).toBe(1);
}, 180_000);

test('worker down: the signing page answers 503 "try again" within seconds, not 404 or 500', async () => {
  await stack.worker.kill();
  try {
    const started = Date.now();
    const page = await fetch(signingLink());
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('try again in a minute');
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await stack.worker.start();
  }
}, 120_000);

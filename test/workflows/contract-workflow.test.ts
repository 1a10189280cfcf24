import { declineContract, getContractStatus, signContract, startContract, startProgram, voidContract } from '../../client/contracts';
import { CpoRefusedError } from '../../client/errors';
import { contractWorkflowId } from '../../domain/vocabulary';
import { fakeWorkerFor, waitForStage } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, contractRequest, departmentPaid, readyPartner, partnerApplication } from '../helpers/fixtures';
import { acceptedUpdateCount } from '../helpers/history';
import { waitUntilIdle } from '../helpers/known-workflows';
import { contractHandle, eventually, testPolicy, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';
import {
  applyPartner,
  certifyPartner,
  getPartnerStatus,
  signAttestation,
  startPartnerReview,
  withdrawPartner,
} from '../../client/partners';

const temporal = useTemporalTestEnvironment();

const partnerSignature = (partnerId: string) => ({
  role: 'partner',
  name: 'Lan Nguyễn',
  email: `lan@${partnerId}.example`,
  consent: true,
  method: 'link',
  requestNumber: 1,
  ipAddress: '203.0.113.7',
  userAgent: 'test-browser',
});
const districtSignature = { role: 'district', name: 'CPO Office', email: 'cpo@mpls.k12.mn.us', consent: true, method: 'cli' };
const principal = { by: { name: 'Principal Amina Hassan' } };

const setUp = async (name: string, policy = testPolicy()) => ({
  ...(await fakeWorkerFor(temporal, name, policy)),
  partnerId: uniqueId('partner'),
  contractId: uniqueId('contract'),
});

test('a contract waits for certification and the attestation, then goes through both signatures to live', async () => {
  const { worker, context, sent, partnerId, contractId } = await setUp('lifecycle');
  await worker.runUntil(async () => {
    const application = partnerApplication(partnerId);
    await applyPartner(context, application);
    await startContract(context, contractRequest(contractId, partnerId, departmentPaid));
    await waitForStage(context, contractId, 'awaiting_prerequisites');

    await startPartnerReview(context, partnerId, { reviewer: { name: 'Reviewer' } });
    await certifyPartner(context, partnerId, { reviewer: { name: 'Reviewer' }, checklist: ALL_CRITERIA_MET });
    // Once the contract has heard of the certification, it still waits: no attestation yet.
    await eventually(async () => (await getContractStatus(context, contractId)).partner?.stage === 'certified');
    expect((await getContractStatus(context, contractId)).stage).toBe('awaiting_prerequisites');

    await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await signAttestation(context, partnerId, { ...application.representative, consent: true });
    await waitForStage(context, contractId, 'awaiting_partner_signature');

    await expect(startProgram(context, contractId, principal)).rejects.toThrow(/final signed contract has not been received/);
    await signContract(context, contractId, partnerSignature(partnerId));
    await waitForStage(context, contractId, 'awaiting_district_signature');
    // department_paid: the paying department's approver countersigns, not the CPO office.
    await expect(signContract(context, contractId, districtSignature)).rejects.toThrow(/only dana.approver@mpls.k12.mn.us may sign/);
    await signContract(context, contractId, { ...districtSignature, name: 'Dana Approver', email: 'dana.approver@mpls.k12.mn.us' });
    await waitForStage(context, contractId, 'live');

    await eventually(async () => (await getContractStatus(context, contractId)).history.some((h) => h.event === 'live_notice_sent'));
    const started = await startProgram(context, contractId, { ...principal, school: 'Folwell Middle' });
    expect(started.school).toBe('Folwell Middle');
    const status = await getContractStatus(context, contractId);
    expect(status.signatures.map((s) => [s.role, s.email, s.ipAddress ?? null])).toEqual([
      ['partner', `lan@${partnerId}.example`, '203.0.113.7'],
      ['district', 'dana.approver@mpls.k12.mn.us', null],
    ]);
    expect(status.signatures.every((s) => s.documentSha256 === status.documents.contract?.sha256)).toBe(true);
    expect(status.documents.executed?.kind).toBe('executed_contract');
    expect(status.history.map((h) => h.event)).toEqual(
      expect.arrayContaining(['initiated', 'prerequisites_met', 'signed', 'executed', 'live', 'program_started']),
    );
  });
  const contractMail = sent.filter((n) => n.kind !== 'attestation_request' && n.kind !== 'attestation_signed');
  expect(contractMail.map((n) => [n.kind, n.to])).toEqual([
    ['signature_request', [`lan@${partnerId}.example`]],
    ['signature_request', ['dana.approver@mpls.k12.mn.us']],
    ['contract_executed', [`lan@${partnerId}.example`, 'dana.approver@mpls.k12.mn.us']],
    ['contract_live', [`lan@${partnerId}.example`, 'dana.approver@mpls.k12.mn.us']],
  ]);
});

test.each([
  ['afterschool_enrichment', 'community.education@mpls.k12.mn.us'],
  ['afterschool_academic', 'extended.learning@mpls.k12.mn.us'],
  ['zero_dollar', 'cpo@mpls.k12.mn.us'],
])('the %s route is countersigned by %s and goes live', async (route, districtEmail) => {
  const { worker, context, sent, partnerId, contractId } = await setUp(route);
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, { route, amountCents: route === 'zero_dollar' ? 0 : 80_000 }));
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    await signContract(context, contractId, partnerSignature(partnerId));
    await waitForStage(context, contractId, 'awaiting_district_signature');
    expect((await getContractStatus(context, contractId)).districtSigner.email).toBe(districtEmail);
    await signContract(context, contractId, { ...districtSignature, email: districtEmail });
    await waitForStage(context, contractId, 'live');
  });
  expect(sent.filter((n) => n.kind === 'signature_request').map((n) => n.to)).toEqual([[`lan@${partnerId}.example`], [districtEmail]]);
});

test('the start gate refuses an executed contract until its go-live moment, then accepts', async () => {
  const { worker, context, partnerId, contractId } = await setUp('go-live');
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    const goLive = new Date(Date.now() + 6_000).toISOString();
    await startContract(context, contractRequest(contractId, partnerId, { goLiveDate: goLive }));
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    await signContract(context, contractId, partnerSignature(partnerId));
    await waitForStage(context, contractId, 'awaiting_district_signature');
    await signContract(context, contractId, districtSignature);
    await waitForStage(context, contractId, 'executed');

    await expect(startProgram(context, contractId, principal)).rejects.toThrow(/executed but its go-live date .* has not come/);
    await waitForStage(context, contractId, 'live');
    await expect(startProgram(context, contractId, principal)).resolves.toMatchObject({ school: 'all listed schools' });
  });
});

test('refused updates enter no history and change nothing', async () => {
  const { worker, context, partnerId, contractId } = await setUp('refusals');
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    // The request email is recorded after the stage moves: wait until nothing is in flight, so that only the refusals could change history.
    const handle = temporal.env.client.workflow.getHandle(contractWorkflowId(contractId));
    await eventually(async () =>
      (await getContractStatus(context, contractId)).history.some((entry) => entry.event === 'signature_request_sent'),
    );
    await waitUntilIdle(handle);
    const before = await acceptedUpdateCount(handle);
    const statusBefore = await getContractStatus(context, contractId);

    const refusals: [string, Promise<unknown>][] = [
      ['district before partner', signContract(context, contractId, districtSignature)],
      ['wrong signer email', signContract(context, contractId, { ...partnerSignature(partnerId), email: 'someone@else.example' })],
      ['another document', signContract(context, contractId, { ...partnerSignature(partnerId), documentSha256: 'a'.repeat(64) })],
      [
        'a link signature without its request',
        signContract(context, contractId, { ...partnerSignature(partnerId), requestNumber: undefined }),
      ],
      ['a request that does not exist', signContract(context, contractId, { ...partnerSignature(partnerId), requestNumber: 7 })],
      ['program start', startProgram(context, contractId, principal)],
      ['school not on contract', startProgram(context, contractId, { ...principal, school: 'Nowhere Elementary' })],
      ['decline by a stranger', declineContract(context, contractId, { by: { name: 'X', email: 'x@x.example' }, reason: 'no thanks' })],
    ];
    for (const [, refused] of refusals) await expect(refused).rejects.toBeInstanceOf(CpoRefusedError);
    // Bypassing the client's own checks: the workflow's update validator still refuses a payload without consent.
    await expect(
      handle.executeUpdate('signContract', {
        args: [{ ...partnerSignature(partnerId), consent: false, documentSha256: statusBefore.documents.contract!.sha256 }],
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/consent: must be true/) } });

    expect(await acceptedUpdateCount(handle)).toBe(before);
    const statusAfter = await getContractStatus(context, contractId);
    expect(statusAfter.signatures).toEqual([]);
    expect(statusAfter.history).toEqual(statusBefore.history);
  });
});

test('reminders follow the policy period and an unsigned contract expires at the deadline', async () => {
  const { worker, context, sent, partnerId, contractId } = await setUp('expiry', testPolicy({ remindEvery: '1s', expireAfter: '3500ms' }));
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    const status = await contractHandle(temporal.env.client, contractId).result();
    expect(status.stage).toBe('expired');
    expect(status.closedReason).toMatch(/partner signature was not received/);
    await expect(startProgram(context, contractId, principal)).rejects.toThrow(/contract is expired/);
  });
  // Reminders run on real timers: a loaded machine can push the last one past the deadline, so the count may be
  // short, never long: at most one per whole period before the deadline (3 in 3.5 s), numbered in order.
  const reminderNumbers = sent.flatMap((n) => (n.kind === 'signature_request' ? [n.reminderNumber] : []));
  expect(reminderNumbers.length).toBeGreaterThanOrEqual(2);
  expect(reminderNumbers.length).toBeLessThanOrEqual(4);
  expect(reminderNumbers).toEqual(reminderNumbers.map((_number, index) => index));
  expect(sent.at(-1)).toMatchObject({ kind: 'contract_closed', stage: 'expired' });
});

test('the CPO office voids, the partner declines, and a withdrawn partner ends its waiting contracts', async () => {
  const { worker, context, sent, partnerId } = await setUp('side-exits');
  const [voided, declined, orphaned] = [uniqueId('void'), uniqueId('decline'), uniqueId('orphan')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    for (const id of [voided, declined]) await startContract(context, contractRequest(id, partnerId));
    await waitForStage(context, voided, 'awaiting_partner_signature');
    await waitForStage(context, declined, 'awaiting_partner_signature');

    await voidContract(context, voided, { by: { name: 'CPO Staff' }, reason: 'program cancelled by the school' });
    await declineContract(context, declined, {
      by: { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` },
      reason: 'we cannot staff it this year',
    });
    await waitForStage(context, voided, 'voided');
    await waitForStage(context, declined, 'declined');
    await expect(voidContract(context, voided, { by: { name: 'CPO Staff' }, reason: 'again' })).rejects.toThrow(
      /the contract is voided \(program cancelled by the school\) and takes no more actions/,
    );

    await startContract(context, contractRequest(orphaned, partnerId));
    await waitForStage(context, orphaned, 'awaiting_partner_signature');
    await withdrawPartner(context, partnerId, { by: { name: 'Lan Nguyễn' }, reason: 'the organization is closing' });
    const results = await Promise.all([voided, declined, orphaned].map((id) => contractHandle(temporal.env.client, id).result()));
    expect(results.map((r) => [r.stage, r.closedReason])).toEqual([
      ['voided', 'program cancelled by the school'],
      ['declined', 'we cannot staff it this year'],
      ['voided', 'the partner withdrew: the organization is closing'],
    ]);
  });
  expect(
    sent
      .filter((n) => n.kind === 'contract_closed')
      .map((n) => n.kind === 'contract_closed' && n.stage)
      .sort(),
  ).toEqual(['declined', 'voided', 'voided']);
});

test('invalid workflow input and an unknown partner fail the workflow instead of retrying', async () => {
  const { worker, context, partnerId, contractId } = await setUp('bad-start');
  await worker.runUntil(async () => {
    // Straight to Temporal, past the client's validation: the workflow checks its own input.
    const negative = temporal.env.client.workflow.start('contractWorkflow', {
      workflowId: contractWorkflowId(contractId),
      taskQueue: context.taskQueue,
      args: [{ request: { ...contractRequest(contractId, partnerId), amountCents: -5 }, policy: context.policy }],
    });
    await expect((await negative).result()).rejects.toMatchObject({
      cause: { type: 'InvalidInput', message: expect.stringMatching(/amountCents: must not be negative/) },
    });

    const orphanId = uniqueId('contract');
    const orphan = await temporal.env.client.workflow.start('contractWorkflow', {
      workflowId: contractWorkflowId(orphanId),
      taskQueue: context.taskQueue,
      args: [{ request: contractRequest(orphanId, 'no-such-partner'), policy: context.policy }],
    });
    await expect(orphan.result()).rejects.toMatchObject({ cause: { type: 'UnknownPartner' } });
  });
});

// The agency (partner) workflow owns what is once per agency: certification with its checklist, the safety
// attestation once per school year, the other agency records, its categories and contracts, and its end.
import { getContractStatus, startContract, startProgram } from '../../client/contracts';
import { CpoInputError, CpoRefusedError } from '../../client/errors';
import {
  applyPartner,
  certifyPartner,
  getPartnerStatus,
  recordAgencyRecord,
  signAttestation,
  startPartnerReview,
  terminatePartner,
  withdrawPartner,
} from '../../client/partners';
import { checklistMeeting, type TPartnerStatus } from '../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA, contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { fakeWorkerFor, signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { currentSchoolYear, upcomingTerm } from '../helpers/clock';
import { ALL_CRITERIA_MET, contractRequest, partnerApplication, readyPartner, termDates } from '../helpers/fixtures';
import { acceptedUpdateCount } from '../helpers/history';
import { contractHandle, eventually, testPolicy, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };
const staff = { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' };
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };
const nowInstant = () => new Date().toISOString();
/** The contract hears its partner's standing by signal, so what it waits for settles shortly after a change. */
const waitingFor = (context: Parameters<typeof getContractStatus>[0], contractId: string, expected: string[]) =>
  eventually(async () => JSON.stringify((await getContractStatus(context, contractId)).waitingFor) === JSON.stringify(expected));

async function certifiedPartner(context: Parameters<typeof applyPartner>[0], partnerId: string) {
  await applyPartner(context, partnerApplication(partnerId));
  await startPartnerReview(context, partnerId, { reviewer });
  await certifyPartner(context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
}

test('certification records the seed-000 checklist; an unmet criterion is refused by name and changes nothing', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'checklist');
  const partnerId = uniqueId('partner');
  await worker.runUntil(async () => {
    await applyPartner(context, partnerApplication(partnerId));
    await startPartnerReview(context, partnerId, { reviewer });
    const handle = temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId));
    const before = await acceptedUpdateCount(handle);

    const notCharged = CERTIFICATION_CRITERIA.filter((c) => c !== 'families_never_charged');
    const refused = await certifyPartner(context, partnerId, { reviewer, checklist: checklistMeeting(notCharged) }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(CpoInputError);
    expect((refused as CpoInputError).problems).toEqual([
      { field: 'checklist.families_never_charged', message: expect.stringContaining('families_never_charged is not met') },
    ]);
    await expect(certifyPartner(context, partnerId, { reviewer })).rejects.toMatchObject({ problems: [{ field: 'checklist' }] });
    expect(await acceptedUpdateCount(handle)).toBe(before);
    expect((await getPartnerStatus(context, partnerId)).stage).toBe('in_review');

    expect(await certifyPartner(context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET })).toBe('certified');
    expect((await getPartnerStatus(context, partnerId)).certification).toMatchObject({ by: 'CPO Reviewer', checklist: ALL_CRITERIA_MET });
  });
});

test('one attestation signed once moves every contract waiting on it, and a new school year asks again', async () => {
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'attestation-years');
  const partnerId = uniqueId('partner');
  const [first, second, nextYear] = [uniqueId('reading'), uniqueId('math'), uniqueId('reading-next')];
  // The agency asks by its workflow time; the contracts are this school year's and next.
  const thisYear = currentSchoolYear();
  const next = upcomingTerm(undefined, { daysAhead: 400 });
  await worker.runUntil(async () => {
    await certifiedPartner(context, partnerId);
    await startContract(context, contractRequest(first, partnerId));
    await startContract(context, contractRequest(second, partnerId, { programName: 'Math club', schools: ['Folwell Middle'] }));
    for (const id of [first, second]) {
      await waitForStage(context, id, 'awaiting_prerequisites');
      await waitingFor(context, id, [`safety protocol attestation for ${thisYear}`]);
    }

    await signAttestation(context, partnerId, { ...partnerApplication(partnerId).representative, consent: true });
    await waitForStage(context, first, 'awaiting_partner_signature');
    await waitForStage(context, second, 'awaiting_partner_signature');

    // Next school year's program: the agency is asked again, for that year, and the contract waits for it.
    await startContract(context, contractRequest(nextYear, partnerId, termDates(next)));
    await eventually(() => sent.some((n) => n.kind === 'attestation_request' && n.schoolYear === next.schoolYear));
    await waitForStage(context, nextYear, 'awaiting_prerequisites');
    await waitingFor(context, nextYear, [`safety protocol attestation for ${next.schoolYear}`]);
    const agency = await getPartnerStatus(context, partnerId);
    expect(agency.attestationRequests.map((r) => r.schoolYear)).toEqual([thisYear, next.schoolYear]);
    expect(agency.attestations.map((a) => a.schoolYear)).toEqual([thisYear]);
    // In the order their workflows first ran, which is not the order the starts returned in (a start does not wait for the worker).
    expect([...agency.contracts].sort()).toEqual([first, second, nextYear].map(contractWorkflowId).sort());

    await signAttestation(context, partnerId, { ...partnerApplication(partnerId).representative, consent: true });
    await waitForStage(context, nextYear, 'awaiting_partner_signature');
    expect(sent.filter((n) => n.kind === 'attestation_request').map((n) => n.schoolYear)).toEqual([thisYear, next.schoolYear]);
  });
});

test('records required by category and for student data hold the contract until staff record them', async () => {
  const policy = testPolicy();
  policy.agencyRecords.byCategory = { mental_health: ['background_check_affirmation', 'photo_video_consent_practice'] };
  const { worker, context } = await fakeWorkerFor(temporal, 'records', policy);
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('counseling');
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(
      context,
      contractRequest(contractId, partnerId, {
        category: 'mental_health',
        exchangesStudentData: true,
        programName: 'School-based counseling',
      }),
    );
    await waitForStage(context, contractId, 'awaiting_prerequisites');
    await waitingFor(context, contractId, [
      'background-check affirmation',
      'photo/video consent practice',
      'data-sharing (FERPA) agreement',
    ]);
    // An agency may be several kinds of partner: the contract's category joins the agency's.
    expect((await getPartnerStatus(context, partnerId)).categories).toEqual(['contracted_partner', 'mental_health']);

    const statement = 'We run our own background checks for every staff member and volunteer.';
    await recordAgencyRecord(context, partnerId, { kind: 'background_check_affirmation', by: staff, statement });
    await expect(recordAgencyRecord(context, partnerId, { kind: 'background_check_affirmation', by: staff, statement })).rejects.toThrow(
      /already on file/,
    );
    await expect(recordAgencyRecord(context, partnerId, { kind: 'safety_attestation', by: staff, statement })).rejects.toMatchObject({
      problems: [{ field: 'kind' }],
    });
    await recordAgencyRecord(context, partnerId, {
      kind: 'photo_video_consent_practice',
      by: staff,
      statement: 'Signed parent/guardian consent before any photo.',
    });
    await waitingFor(context, contractId, ['data-sharing (FERPA) agreement']);

    await recordAgencyRecord(context, partnerId, {
      kind: 'data_sharing_agreement',
      by: staff,
      statement: 'FERPA data-sharing agreement signed 2026-10-01.',
      documentSha256: 'c'.repeat(64),
    });
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    const agency = await getPartnerStatus(context, partnerId);
    expect(agency.records.map((r) => [r.kind, r.schoolYear])).toEqual([
      ['background_check_affirmation', null],
      ['photo_video_consent_practice', null],
      ['data_sharing_agreement', null],
    ]);
  });
});

test('the agency continues as new before its history grows large, keeping its state', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'continue-as-new');
  const partnerId = uniqueId('partner');
  await worker.runUntil(async () => {
    const first = await temporal.env.client.workflow.start('partnerWorkflow', {
      workflowId: partnerWorkflowId(partnerId),
      taskQueue: (context as { taskQueue: string }).taskQueue,
      args: [{ application: partnerApplication(partnerId), policy: context.policy, continueAsNewAfterEvents: 40 }],
    });
    await startPartnerReview(context, partnerId, { reviewer });
    await certifyPartner(context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
    await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await signAttestation(context, partnerId, { ...partnerApplication(partnerId).representative, consent: true });
    const contracts = [0, 1, 2, 3].map((n) => uniqueId(`program-${n}`));
    for (const id of contracts) await startContract(context, contractRequest(id, partnerId));
    for (const id of contracts) await waitForStage(context, id, 'awaiting_partner_signature');
    await recordAgencyRecord(context, partnerId, {
      kind: 'photo_video_consent_practice',
      by: staff,
      statement: 'Signed parent/guardian consent before any photo.',
    });

    await eventually(
      async () =>
        (await temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId)).describe()).runId !== first.firstExecutionRunId,
    );
    const firstRun = await temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId), first.firstExecutionRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
    const carried: TPartnerStatus = await getPartnerStatus(context, partnerId);
    expect(carried).toMatchObject({ stage: 'certified', certification: { checklist: ALL_CRITERIA_MET } });
    // Every contract, in the order their workflows first ran (a start does not wait for the worker).
    expect([...carried.contracts].sort()).toEqual(contracts.map(contractWorkflowId).sort());
    expect(carried.attestations).toHaveLength(1);
    expect(carried.records.map((r) => r.kind)).toEqual(['photo_video_consent_practice']);
    expect(carried.history.map((h) => h.event)).toEqual(
      expect.arrayContaining(['applied', 'certified', 'attestation_signed', 'record_added']),
    );
    // The new run still answers: a refused duplicate, then a termination that reaches every contract.
    await expect(signAttestation(context, partnerId, { ...partnerApplication(partnerId).representative, consent: true })).rejects.toThrow(
      /already signed/,
    );
    await terminatePartner(context, partnerId, { by: staff, reason: 'repeated safety violations' });
    for (const id of contracts) await waitForStage(context, id, 'voided');
  });
});

test('withdrawal and termination end every open contract of the agency in the right stage and block its programs', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'termination');
  const [terminated, withdrawn] = [uniqueId('partner'), uniqueId('partner')];
  const [live, waiting, withdrawnLive] = [uniqueId('live'), uniqueId('waiting'), uniqueId('live')];
  await worker.runUntil(async () => {
    await readyPartner(context, terminated);
    await readyPartner(context, withdrawn);
    for (const [contractId, partnerId] of [
      [live, terminated],
      [withdrawnLive, withdrawn],
    ] as const) {
      await startContract(context, contractRequest(contractId, partnerId, { goLiveDate: nowInstant() }));
      await signWhenAsked(context, contractId, 'partner', { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });
      await signWhenAsked(context, contractId, 'district', cpoOffice);
      await waitForStage(context, contractId, 'live');
    }
    await startContract(context, contractRequest(waiting, terminated));
    await waitForStage(context, waiting, 'awaiting_partner_signature');

    await expect(terminatePartner(context, terminated, { by: staff, reason: 'no' })).rejects.toMatchObject({
      problems: [{ field: 'reason' }],
    });
    expect(await terminatePartner(context, terminated, { by: staff, reason: 'staff entered a school without checking in' })).toBe(
      'terminated',
    );
    expect(await withdrawPartner(context, withdrawn, { by: { name: 'Lan Nguyễn' }, reason: 'the organization is closing' })).toBe(
      'withdrawn',
    );

    const ended = (id: string) => contractHandle(temporal.env.client, id).result();
    expect(await ended(live)).toMatchObject({
      stage: 'terminated',
      closedReason: 'the district terminated the partnership for cause: staff entered a school without checking in',
    });
    expect(await ended(waiting)).toMatchObject({
      stage: 'voided',
      closedReason: expect.stringContaining('terminated the partnership for cause'),
    });
    expect(await ended(withdrawnLive)).toMatchObject({
      stage: 'terminated',
      closedReason: 'the partner withdrew: the organization is closing',
    });

    const blocked = await startProgram(context, live, { by: { name: 'Principal' } }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(CpoRefusedError);
    expect((blocked as Error).message).toMatch(
      /Program cannot start: the contract is terminated: the district terminated the partnership for cause/,
    );
    await expect(startContract(context, contractRequest(uniqueId('again'), terminated))).rejects.toThrow(/the partner is terminated/);
    await expect(terminatePartner(context, withdrawn, { by: staff, reason: 'too late for that' })).rejects.toThrow(
      /Cannot terminate the partnership while the stage is withdrawn/,
    );
  });
});

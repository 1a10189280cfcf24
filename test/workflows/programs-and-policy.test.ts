// One contract per program with any number of schools, schools added by amendment, approvals, and district
// policy as data: a running contract keeps its policy version, and Seattle's policy runs the same pipeline.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { amendContract, approveContract, declineContract, getContractStatus, startContract, startProgram } from '../../client/contracts';
import { recordAgencyRecord } from '../../client/partners';
import { loadPolicy } from '../../config/load-policy';
import { Worker } from '@temporalio/worker';
import { z } from 'zod';
import { createTestWorker } from '../helpers/temporal';
import { createFakeActivities } from '../helpers/fake-activities';
import { fakeWorkerFor, signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { currentTerm } from '../helpers/clock';
import { parseJson } from '../helpers/parse-json';
import { contractRequest, readyPartner, termDates } from '../helpers/fixtures';
import { contextFor, eventually, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };
const now = () => new Date().toISOString();
const signer = (partnerId: string) => ({ name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });

test('a school joins a live contract by amendment: both parties re-sign, and only then may the program start there', async () => {
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'amendment');
  const partnerId = uniqueId('partner');
  const contractId = uniqueId('reading');
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId, { goLiveDate: now() }));
    await expect(amendContract(context, contractId, { by: cpoOffice, addSchools: ['Sanford Middle'] })).rejects.toThrow(
      /Cannot amend the contract while the stage is/,
    );
    await signWhenAsked(context, contractId, 'partner', signer(partnerId));
    await signWhenAsked(context, contractId, 'district', cpoOffice);
    await waitForStage(context, contractId, 'live');

    await expect(amendContract(context, contractId, { by: cpoOffice, addSchools: ['Anwatin Middle'] })).rejects.toThrow(
      /already on the contract: Anwatin Middle/,
    );
    expect(
      await amendContract(context, contractId, { by: cpoOffice, addSchools: ['Sanford Middle'], note: 'the principal asked for it' }),
    ).toBe(1);
    await expect(amendContract(context, contractId, { by: cpoOffice, addSchools: ['Lyndale Elementary'] })).rejects.toThrow(
      /Amendment 1 is still being signed/,
    );
    await expect(startProgram(context, contractId, { by: { name: 'Principal' }, school: 'Sanford Middle' })).rejects.toThrow(
      /Sanford Middle is being added by amendment 1/,
    );
    // The schools already signed for keep running while the amendment is out.
    await expect(startProgram(context, contractId, { by: { name: 'Principal' }, school: 'Anwatin Middle' })).resolves.toMatchObject({
      school: 'Anwatin Middle',
    });

    await signWhenAsked(context, contractId, 'partner', signer(partnerId));
    const during = await getContractStatus(context, contractId);
    expect(during).toMatchObject({
      stage: 'live',
      signing: { role: 'district', amendmentNumber: 1 },
      amendments: [{ number: 1, status: 'awaiting_district_signature' }],
    });
    expect(during.signing!.document.sha256).not.toBe(during.documents.contract!.sha256);
    await signWhenAsked(context, contractId, 'district', cpoOffice);
    const amended = await eventually(async () => {
      const status = await getContractStatus(context, contractId);
      return status.amendments[0]?.status === 'executed' && status;
    });
    expect(amended.request.schools).toEqual(['Anwatin Middle', 'Folwell Middle', 'Sanford Middle']);
    expect(amended.amendments[0]!.executed).not.toBeNull();
    expect(amended.signatures.filter((s) => s.amendmentNumber === 1).map((s) => s.role)).toEqual(['partner', 'district']);
    await expect(startProgram(context, contractId, { by: { name: 'Principal' }, school: 'Sanford Middle' })).resolves.toMatchObject({
      school: 'Sanford Middle',
    });
    expect(sent.filter((n) => n.kind === 'signature_request' && n.amendmentNumber === 1)).toHaveLength(2);
    const executedNotice = sent.flatMap((n) => (n.kind === 'contract_executed' && n.amendmentNumber === 1 ? [n] : []));
    expect(executedNotice[0]?.contract.schools).toContain('Sanford Middle');

    // A declined amendment leaves the contract live with its schools.
    expect(await amendContract(context, contractId, { by: cpoOffice, addSchools: ['Lyndale Elementary'] })).toBe(2);
    await eventually(async () => (await getContractStatus(context, contractId)).signing?.amendmentNumber === 2);
    await declineContract(context, contractId, { by: signer(partnerId), reason: 'we cannot staff Lyndale' });
    const declined = await eventually(async () => {
      const status = await getContractStatus(context, contractId);
      return status.amendments[1]?.status === 'declined' && status;
    });
    expect(declined).toMatchObject({ stage: 'live', request: { schools: ['Anwatin Middle', 'Folwell Middle', 'Sanford Middle'] } });
  });
});

test('a running contract keeps the policy version it started with after the policy file changes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'policy-'));
  const file = path.join(dir, 'district.json');
  // Only the parts this test changes are read; the rest of the file passes through as it is.
  const original = parseJson(
    z.looseObject({ offices: z.looseObject({ cpo_office: z.looseObject({}) }) }),
    readFileSync('policies/minneapolis.json', 'utf8'),
  );
  writeFileSync(file, JSON.stringify({ ...original, version: 'v1' }));
  const taskQueue = uniqueTaskQueue('policy-version');
  const before = contextFor(temporal.env, taskQueue, loadPolicy(file));
  const partnerId = uniqueId('partner');
  const [started, later] = [uniqueId('before'), uniqueId('after')];

  const first = createFakeActivities();
  // No workflow cache on the worker that "stops", so its workflows go straight to the next worker (no sticky queue).
  const stopping = await Worker.create({
    connection: temporal.env.nativeConnection,
    taskQueue,
    workflowBundle: temporal.workflowBundle,
    activities: first.activities,
    maxCachedWorkflows: 0,
  });
  await stopping.runUntil(async () => {
    await readyPartner(before, partnerId);
    await startContract(before, contractRequest(started, partnerId));
    await waitForStage(before, started, 'awaiting_partner_signature');
  });

  // The office changes its signer and periods; the worker restarts with the new file.
  const offices = { ...original.offices, cpo_office: { ...original.offices.cpo_office, email: 'contracts.v2@mpls.k12.mn.us' } };
  writeFileSync(file, JSON.stringify({ ...original, version: 'v2', offices, signature: { remindEvery: '1d', expireAfter: '14d' } }));
  const after = contextFor(temporal.env, taskQueue, loadPolicy(file));
  const second = createFakeActivities();
  await (
    await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, second.activities)
  ).runUntil(async () => {
    await startContract(after, contractRequest(later, partnerId));
    for (const id of [started, later]) await signWhenAsked(after, id, 'partner', signer(partnerId));
    const [old, current] = await Promise.all(
      [started, later].map((id) =>
        eventually(async () => {
          const status = await getContractStatus(after, id);
          return status.stage === 'awaiting_district_signature' && status;
        }),
      ),
    );
    // Each keeps its own signer and expiry period: 30 days under v1, 14 under v2.
    expect(old).toMatchObject({ policyVersion: 'v1', districtSigner: { email: cpoOffice.email } });
    expect(current).toMatchObject({ policyVersion: 'v2', districtSigner: { email: 'contracts.v2@mpls.k12.mn.us' } });
    const daysLeft = (deadline: string | null) => Math.round((Date.parse(deadline!) - Date.now()) / 86_400_000);
    expect([daysLeft(old!.nextDeadline), daysLeft(current!.nextDeadline)]).toEqual([30, 14]);
    await signWhenAsked(after, started, 'district', cpoOffice);
    await signWhenAsked(after, later, 'district', { name: 'CPO Office', email: 'contracts.v2@mpls.k12.mn.us' });
    for (const id of [started, later]) await waitForStage(after, id, 'executed');
    expect(
      second.sent.find((n) => n.kind === 'signature_request' && n.contract.contractId === started && n.signerRole === 'district')?.to,
    ).toEqual([cpoOffice.email]);
  });
});

test('the Seattle policy drives a Memorandum of Understanding and a Personal Services Contract to live, and a PTSA agreement through approval', async () => {
  const seattle = loadPolicy('policies/seattle.json');
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'seattle', seattle);
  const partnerId = uniqueId('partner');
  const [mou, psc, ptsa] = [uniqueId('mou'), uniqueId('psc'), uniqueId('ptsa')];
  const scp = { name: 'School and Community Partnerships', email: 'partnerships@seattleschools.example' };
  const garfield = { name: 'Garfield High School', approverName: 'Principal Kim', approverEmail: 'principal.kim@seattleschools.example' };
  const ptsaGroup = { name: 'Garfield PTSA', approverName: 'PTSA President', approverEmail: 'president@garfieldptsa.example' };
  const seattleDates = {
    ...termDates(currentTerm(seattle)),
    goLiveDate: now(),
    schools: ['Garfield High School', 'Washington Middle School'],
  };
  const seattleYear = currentTerm(seattle).schoolYear;
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(
      context,
      contractRequest(mou, partnerId, { ...seattleDates, route: 'memorandum_of_understanding', amountCents: 0, initiatedBy: scp }),
    );
    await startContract(
      context,
      contractRequest(psc, partnerId, {
        ...seattleDates,
        route: 'personal_services_contract',
        amountCents: 900_000,
        payingDepartment: garfield,
        initiatedBy: { name: garfield.approverName, email: garfield.approverEmail },
        exchangesStudentData: true,
      }),
    );
    await startContract(
      context,
      contractRequest(ptsa, partnerId, {
        ...seattleDates,
        route: 'ptsa_enrichment',
        amountCents: 150_000,
        payingDepartment: ptsaGroup,
        initiatedBy: { name: 'PTSA President', email: ptsaGroup.approverEmail },
      }),
    );

    // Seattle asks every agency for a background-check affirmation each school year; data sharing is central.
    await eventually(
      async () => (await getContractStatus(context, psc)).waitingFor.join() === `background-check affirmation for ${seattleYear}`,
    );
    await recordAgencyRecord(context, partnerId, {
      kind: 'background_check_affirmation',
      by: scp,
      statement: 'Every staff member serving students has a current background check.',
    });

    // The PTSA agreement waits for School and Community Partnerships to approve it.
    await eventually(async () => (await getContractStatus(context, ptsa)).waitingFor[0] === `approval by ${scp.email}`);
    expect((await getContractStatus(context, ptsa)).stage).toBe('initiated');
    expect(await eventually(() => sent.find((n) => n.kind === 'approval_request'))).toMatchObject({
      to: [scp.email],
      contract: { contractId: ptsa, documentTitle: 'PTSA Enrichment Agreement' },
    });
    await expect(approveContract(context, ptsa, { by: { name: 'PTSA President', email: ptsaGroup.approverEmail } })).rejects.toThrow(
      /only partnerships@seattleschools.example approves/,
    );
    await expect(approveContract(context, mou, { by: scp })).rejects.toThrow(/needs no separate approval/);
    await approveContract(context, ptsa, { by: scp });
    await signWhenAsked(context, ptsa, 'partner', signer(partnerId));
    await waitForStage(context, ptsa, 'awaiting_district_signature');
    expect((await getContractStatus(context, ptsa)).districtSigner.email).toBe(scp.email);

    for (const [id, districtSigner] of [
      [mou, scp],
      [psc, { name: 'Contracts', email: 'contracts@seattleschools.example' }],
    ] as const) {
      await signWhenAsked(context, id, 'partner', signer(partnerId));
      await signWhenAsked(context, id, 'district', districtSigner);
      await waitForStage(context, id, 'live');
    }
    const request = sent.find((n) => n.kind === 'signature_request' && n.contract.contractId === mou);
    expect(request).toMatchObject({
      contract: { documentTitle: 'Memorandum of Understanding', district: 'Seattle Public Schools' },
      customText: { intro: expect.stringContaining('Memorandum of Understanding when you bring your own funding') },
    });
    expect((await getContractStatus(context, psc)).routeLabel).toBe('Personal Services Contract');
  });
});

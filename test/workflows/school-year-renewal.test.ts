// Contracts end with the school year; in spring the route's initiator is asked to renew; a renewal starts next
// year's contract on the same route, and a program that has not renewed may not start in the new year.
import { getContractStatus, renewContract, declineRenewal, startContract, startProgram } from '../../client/contracts';
import { CpoRefusedError } from '../../client/errors';
import { getPartnerStatus, signAttestation } from '../../client/partners';
import { localDate } from '../../domain/school-year';
import { fakeWorkerFor, signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { contractRequest, departmentPaid, partnerApplication, readyPartner } from '../helpers/fixtures';
import { shortYearPolicy } from '../helpers/short-year-policy';
import { contractHandle, eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const DAY_MS = 86_400_000;
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };
const dana = { name: departmentPaid.payingDepartment.approverName, email: departmentPaid.payingDepartment.approverEmail };

test('renewal across a school-year boundary: renewed programs continue, the rest are blocked with the reason', async () => {
  // Spring comes 14 s from now and the year ends 26 s later: room for the renewal steps on a loaded machine.
  const policy = shortYearPolicy(14_000, 40_000);
  const [thisYear, nextYear] = policy.schoolYear.calendar.map((year) => year.name) as [string, string];
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'renewal', policy);
  const partnerId = uniqueId('partner');
  const [paid, free] = [uniqueId('tutoring'), uniqueId('mentoring')];
  const yesterday = localDate(Date.now() - DAY_MS, policy.timeZone);
  const lastDay = localDate(Date.parse(policy.schoolYear.calendar[0]!.endsAt) - 1, policy.timeZone);
  const thisYearDates = { startDate: yesterday, goLiveDate: yesterday, endDate: lastDay };
  const partnerSigner = { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` };
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    // Contracts end with the school year: a term past it is refused at start.
    await expect(
      startContract(
        context,
        contractRequest(uniqueId('long'), partnerId, { ...thisYearDates, endDate: localDate(Date.now() + 400 * DAY_MS, policy.timeZone) }),
      ),
    ).rejects.toMatchObject({
      problems: [{ field: 'endDate', message: expect.stringContaining(`the last day of the ${thisYear} school year`) }],
    });
    await startContract(context, contractRequest(paid, partnerId, { ...departmentPaid, ...thisYearDates }));
    await startContract(context, contractRequest(free, partnerId, thisYearDates));
    for (const [id, districtSigner] of [
      [paid, dana],
      [free, cpoOffice],
    ] as const) {
      await signWhenAsked(context, id, 'partner', partnerSigner);
      await signWhenAsked(context, id, 'district', districtSigner);
      await waitForStage(context, id, 'live');
    }
    const renewal = (await getContractStatus(context, paid)).renewal;
    expect(renewal).toMatchObject({ schoolYear: nextYear, askedEmail: dana.email, decision: null });
    // Nobody is asked before spring. A loaded machine may reach spring before both contracts are live, so the
    // request may already be out, but never earlier than the policy's renewal date.
    const springMs = Date.parse(policy.schoolYear.calendar[0]!.renewalRequestsAt);
    expect(renewal?.requestedAt ? Date.parse(renewal.requestedAt) : springMs).toBeGreaterThanOrEqual(springMs);

    // Spring: the paying department is asked about its program, the CPO office about the $0 one, with reminders.
    const renewalMail = () => sent.filter((n) => n.kind === 'renewal_request');
    await eventually(() => renewalMail().filter((n) => n.contract.contractId === free).length >= 2, 20_000);
    expect(renewalMail().find((n) => n.contract.contractId === paid)).toMatchObject({
      to: [dana.email],
      nextSchoolYear: nextYear,
      reminderNumber: 0,
    });
    expect(
      renewalMail()
        .filter((n) => n.contract.contractId === free)
        .map((n) => [n.to, n.reminderNumber]),
    ).toEqual(
      expect.arrayContaining([
        [[cpoOffice.email], 0],
        [[cpoOffice.email], 1],
      ]),
    );

    const nextId = await renewContract(context, paid, { by: dana, changes: { amountCents: 1_400_000 } });
    expect(nextId).toBe(`${paid}-${nextYear}`);
    await expect(renewContract(context, paid, { by: dana })).rejects.toThrow(/Already renewed/);
    await expect(declineRenewal(context, free, { by: cpoOffice, reason: 'x' })).rejects.toMatchObject({ problems: [{ field: 'reason' }] });
    const next = await eventually(() => getContractStatus(context, nextId).catch(() => null));
    expect(next.request).toMatchObject({
      route: 'department_paid',
      renewalOf: paid,
      amountCents: 1_400_000,
      initiatedBy: dana,
      payingDepartment: departmentPaid.payingDepartment,
      schools: contractRequest(paid, partnerId).schools,
    });
    expect(next).toMatchObject({ schoolYear: nextYear, policyVersion: policy.version });
    // Next year's contract needs next year's attestation, which the agency is asked for by email.
    await eventually(() => sent.some((n) => n.kind === 'attestation_request' && n.schoolYear === nextYear));
    await eventually(async () =>
      (await getContractStatus(context, nextId)).waitingFor.includes(`safety protocol attestation for ${nextYear}`),
    );
    await signAttestation(context, partnerId, { ...partnerApplication(partnerId).representative, consent: true });
    await signWhenAsked(context, nextId, 'partner', partnerSigner);
    await signWhenAsked(context, nextId, 'district', dana);
    await waitForStage(context, nextId, 'executed');
    await expect(startProgram(context, nextId, { by: { name: 'Principal' } })).rejects.toThrow(/go-live date .* has not come/);

    // The school year ends.
    const ended = (id: string) => contractHandle(temporal.env.client, id).result();
    expect(await ended(paid)).toMatchObject({
      stage: 'expired',
      closedReason: `the ${thisYear} school year ended; the program continues in ${nextYear} under contract ${nextId}`,
    });
    expect(await ended(free)).toMatchObject({ stage: 'expired', closedReason: expect.stringContaining(`has not renewed for ${nextYear}`) });
    const blocked = await startProgram(context, free, { by: { name: 'Principal' } }).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(CpoRefusedError);
    expect((blocked as Error).message).toMatch(new RegExp(`Program cannot start: .*the program has not renewed for ${nextYear}`));
    await waitForStage(context, nextId, 'live');
    await expect(startProgram(context, nextId, { by: { name: 'Principal' } })).resolves.toMatchObject({ by: 'Principal' });
    expect((await getPartnerStatus(context, partnerId)).attestations.map((a) => a.schoolYear)).toEqual([thisYear, nextYear]);
  });
});

test('a program that will not continue is recorded with the reason, and renewing a contract not yet live is refused', async () => {
  const { worker, context } = await fakeWorkerFor(temporal, 'no-renewal');
  const partnerId = uniqueId('partner');
  const [live, waiting] = [uniqueId('live'), uniqueId('waiting')];
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(live, partnerId, { goLiveDate: new Date().toISOString() }));
    await signWhenAsked(context, live, 'partner', { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });
    await signWhenAsked(context, live, 'district', cpoOffice);
    await waitForStage(context, live, 'live');
    expect(await declineRenewal(context, live, { by: cpoOffice, reason: 'the school ends the program in June' })).toBe('live');
    expect((await getContractStatus(context, live)).renewal).toMatchObject({
      decision: 'not_renewed',
      reason: 'the school ends the program in June',
    });
    await expect(renewContract(context, live, { by: cpoOffice })).rejects.toThrow(/Already decided not to renew/);

    await startContract(context, contractRequest(waiting, partnerId));
    await waitForStage(context, waiting, 'awaiting_partner_signature');
    await expect(renewContract(context, waiting, { by: cpoOffice })).rejects.toThrow(/renewal is decided once the contract is live/);
  });
});

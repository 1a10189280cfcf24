import { CpoRefusedError } from '../../client/errors';
import {
  applyPartner,
  certifyPartner,
  getPartnerStatus,
  rejectPartner,
  signAttestation,
  startPartnerReview,
  withdrawPartner,
} from '../../client/partners';
import { partnerWorkflowId } from '../../domain/vocabulary';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, partnerApplication } from '../helpers/fixtures';
import { acceptedUpdateCount } from '../helpers/history';
import { eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();

const reviewer = { reviewer: { name: 'CPO Reviewer' }, checklist: ALL_CRITERIA_MET };

const setUp = async (name: string) => ({ ...(await fakeWorkerFor(temporal, name)), partnerId: uniqueId('partner') });

test('an application moves applied → in_review → certified, each step only from the stage before it', async () => {
  const { worker, context, partnerId } = await setUp('certify');
  await worker.runUntil(async () => {
    expect((await applyPartner(context, partnerApplication(partnerId))).stage).toBe('applied');
    await expect(certifyPartner(context, partnerId, reviewer)).rejects.toThrow(/Cannot certify the partner while the stage is applied/);
    expect(await startPartnerReview(context, partnerId, reviewer)).toBe('in_review');
    await expect(startPartnerReview(context, partnerId, reviewer)).rejects.toBeInstanceOf(CpoRefusedError);
    expect(await certifyPartner(context, partnerId, { ...reviewer, note: 'all seven criteria met' })).toBe('certified');
    await expect(rejectPartner(context, partnerId, { ...reviewer, reason: 'too late' })).rejects.toThrow(/Cannot reject/);

    const status = await getPartnerStatus(context, partnerId);
    expect(status.certification).toMatchObject({ by: 'CPO Reviewer', note: 'all seven criteria met' });
    const reviewSteps = status.history.map((h) => h.event).filter((event) => event !== 'attestation_requested');
    expect(reviewSteps).toEqual(['applied', 'review_started', 'certified']);
    await expect(applyPartner(context, partnerApplication(partnerId))).rejects.toThrow(/already exists/);
  });
});

test('rejection and withdrawal are final and keep their reasons', async () => {
  const { worker, context, partnerId } = await setUp('reject');
  const other = uniqueId('partner');
  await worker.runUntil(async () => {
    await applyPartner(context, partnerApplication(partnerId));
    expect(await rejectPartner(context, partnerId, { ...reviewer, reason: 'a lease holder, not a partner' })).toBe('rejected');
    await expect(startPartnerReview(context, partnerId, reviewer)).rejects.toThrow(/while the stage is rejected/);
    await applyPartner(context, partnerApplication(other));
    expect(await withdrawPartner(context, other, { by: { name: 'Director' }, reason: 'no capacity this year' })).toBe('withdrawn');
    expect((await getPartnerStatus(context, partnerId)).history.find((h) => h.event === 'rejected')).toMatchObject({
      event: 'rejected',
      detail: 'a lease holder, not a partner',
    });
  });
});

test('the attestation is requested once and signed once per agency, by its approved representative', async () => {
  const { worker, context, sent, partnerId } = await setUp('attest');
  const application = partnerApplication(partnerId);
  await worker.runUntil(async () => {
    await applyPartner(context, application);
    const form = await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
    await eventually(async () => (await getPartnerStatus(context, partnerId)).history.some((h) => h.event === 'attestation_requested'));
    const handle = temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId));
    const before = await acceptedUpdateCount(handle);

    await expect(
      signAttestation(context, partnerId, { ...application.representative, email: 'staff@elsewhere.example', consent: true }),
    ).rejects.toThrow(/only the approved agency representative/);
    await expect(
      signAttestation(context, partnerId, { ...application.representative, consent: true, documentSha256: 'b'.repeat(64) }),
    ).rejects.toThrow(/does not match an attestation form/);
    expect(await acceptedUpdateCount(handle)).toBe(before);

    const record = await signAttestation(context, partnerId, { ...application.representative, consent: true, ipAddress: '198.51.100.4' });
    expect(record).toMatchObject({
      signedBy: { email: application.representative.email },
      ipAddress: '198.51.100.4',
      document: { sha256: form.document.sha256 },
    });
    await expect(signAttestation(context, partnerId, { ...application.representative, consent: true })).rejects.toThrow(
      /Every attestation form sent is already signed/,
    );
    // The sealed copy goes out after the signature is recorded; wait for it before counting.
    await eventually(() => sent.some((n) => n.kind === 'attestation_signed') || undefined);
  });
  expect(sent.map((n) => [n.kind, n.to])).toEqual([
    ['attestation_request', [application.representative.email]],
    ['attestation_signed', [application.representative.email]],
  ]);
});

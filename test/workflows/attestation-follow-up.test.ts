import {
  applyPartner,
  certifyPartner,
  getPartnerStatus,
  recordAttestationView,
  resendAttestationRequest,
  signAttestation,
  startPartnerReview,
} from '../../client/partners';
import type { TNotification } from '../../domain/schemas/notification';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, partnerApplication } from '../helpers/fixtures';
import { eventually, testPolicy, uniqueId, useTemporalTestEnvironment, type contextFor } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const reviewer = { reviewer: { name: 'CPO Reviewer' }, checklist: ALL_CRITERIA_MET };

/** A partner whose attestation requests remind and expire on the given periods. */
async function setUp(name: string, signature = { remindEvery: '2s', expireAfter: '5s' }) {
  const { worker, context, sent } = await fakeWorkerFor(temporal, name, testPolicy(signature));
  const partnerId = uniqueId('partner');
  const attestationEmails = () => (sent as TNotification[]).filter((n) => n.kind === 'attestation_request' && n.partnerId === partnerId);
  return { worker, context, partnerId, attestationEmails };
}
const events = async (context: ReturnType<typeof contextFor>, partnerId: string) =>
  (await getPartnerStatus(context, partnerId)).history
    .map((h) => h.event)
    .filter((e) => e.startsWith('attestation_') && e !== 'attestation_requested');

test('an unsigned attestation request is reminded on the policy period, then expires; each event is on the history', async () => {
  const { worker, context, partnerId, attestationEmails } = await setUp('attest-remind');
  await worker.runUntil(async () => {
    await applyPartner(context, partnerApplication(partnerId));
    await eventually(async () => (await events(context, partnerId)).includes('attestation_expired'), 20_000);
    const [first] = (await getPartnerStatus(context, partnerId)).attestationRequests;
    // Reminders fall due at 2 s and 4 s, expiry at 5 s. A worker woken late under load finds the deadline passed and
    // expires the request without the reminder it missed, so one reminder or two, never more, each numbered in turn.
    const reminders = first!.reminders ?? 0;
    expect(reminders === 1 || reminders === 2).toBe(true);
    expect(await events(context, partnerId)).toEqual([...Array<string>(reminders).fill('attestation_reminded'), 'attestation_expired']);
    const emails = attestationEmails();
    expect(emails.map((n) => n.kind === 'attestation_request' && [n.requestNumber, n.reminderNumber])).toEqual(
      [0, ...Array.from({ length: reminders }, (_, i) => i + 1)].map((number) => [1, number]),
    );
    expect(
      emails.every(
        (n) => n.kind === 'attestation_request' && n.deadline === new Date(Date.parse(first!.requestedAt) + 5_000).toISOString(),
      ),
    ).toBe(true);
    expect(first!.expiredAt).toEqual(expect.any(String));
  });
});

test('staff resend: a new form and request number; the old form can no longer be signed; views and the signature are recorded', async () => {
  const { worker, context, partnerId, attestationEmails } = await setUp('attest-resend', { remindEvery: '1h', expireAfter: '2h' });
  await worker.runUntil(async () => {
    const application = partnerApplication(partnerId);
    await applyPartner(context, application);
    await startPartnerReview(context, partnerId, reviewer);
    await certifyPartner(context, partnerId, reviewer);
    const [old] = await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests);
    await recordAttestationView(context, partnerId, { schoolYear: old!.schoolYear, requestNumber: 1 });
    expect(await resendAttestationRequest(context, partnerId, { by: { name: 'CPO Staff' } })).toBe(2);
    const status = await eventually(async () => {
      const s = await getPartnerStatus(context, partnerId);
      return s.attestationRequests.length === 2 && s;
    });
    expect(status.attestationRequests[1]!.document.sha256).not.toBe(old!.document.sha256);
    await eventually(() => attestationEmails().some((n) => n.kind === 'attestation_request' && n.requestNumber === 2));
    await expect(
      signAttestation(context, partnerId, { ...application.representative, consent: true, documentSha256: old!.document.sha256 }),
    ).rejects.toThrow(/newer attestation request replaced/);
    await signAttestation(context, partnerId, {
      ...application.representative,
      consent: true,
      documentSha256: status.attestationRequests[1]!.document.sha256,
    });
    await expect(resendAttestationRequest(context, partnerId, { by: { name: 'CPO Staff' } })).rejects.toThrow(/already signed/);
    // Then sealed in the background, from the form of the request signed.
    const sealed = await eventually(async () => (await getPartnerStatus(context, partnerId)).attestations[0]?.sealed);
    expect(sealed.filename).toMatch(/-signed\.pdf$/);
    expect(await events(context, partnerId)).toEqual([
      'attestation_viewed',
      'attestation_resend_asked',
      'attestation_resent',
      'attestation_signed',
      'attestation_sealed',
    ]);
  });
});

import {
  applyPartner,
  getPartnerStatus,
  recordAgencyRecord,
  recordAgencyRecordView,
  resendAgencyRecordRequest,
} from '../../client/partners';
import { registerContractSignal } from '../../domain/messages';
import type { TNotification } from '../../domain/schemas/notification';
import { partnerWorkflowId, type TAgencyRecordKind } from '../../domain/vocabulary';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { partnerApplication } from '../helpers/fixtures';
import { eventually, testPolicy, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();

test('a contract needing agency records the agency lacks has each asked of the representative once per kind, and per school year for yearly kinds', async () => {
  const base = testPolicy();
  const policy = {
    ...base,
    agencyRecords: {
      ...base.agencyRecords,
      renewEachSchoolYear: ['safety_attestation', 'background_check_affirmation'] as TAgencyRecordKind[],
    },
  };
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'record-requests', policy);
  const partnerId = uniqueId('partner');
  const requests = () =>
    (sent as TNotification[]).flatMap((n) =>
      n.kind === 'agency_record_request' && n.partnerId === partnerId ? [[n.recordKind, n.schoolYear, n.statement, n.to[0]]] : [],
    );
  await worker.runUntil(async () => {
    const application = partnerApplication(partnerId);
    await applyPartner(context, application);
    await recordAgencyRecord(context, partnerId, {
      kind: 'photo_video_consent_practice',
      by: { name: 'CPO Staff' },
      statement: 'Paper form received on 1 December.',
      method: 'cli',
    });
    const handle = temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId));
    const register = (contract: string, schoolYear: string) =>
      handle.signal(registerContractSignal, {
        contractWorkflowId: `contract-${contract}-${partnerId}`,
        schoolYear,
        needs: ['safety_attestation', 'background_check_affirmation', 'data_sharing_agreement', 'photo_video_consent_practice'],
      });
    await register('a', '2026-2027');
    await register('b', '2026-2027');
    await register('c', '2027-2028');
    const statements = policy.agencyRecords.statements;
    const expected = [
      ['background_check_affirmation', '2026-2027', statements.background_check_affirmation, application.representative.email],
      ['data_sharing_agreement', null, statements.data_sharing_agreement, application.representative.email],
      ['background_check_affirmation', '2027-2028', statements.background_check_affirmation, application.representative.email],
    ];
    await eventually(
      async () =>
        requests().length >= 3 &&
        (await getPartnerStatus(context, partnerId)).history.filter((h) => h.event === 'record_requested').length === 3,
    );
    // Emails go out in parallel: their order varies, the requests' order does not.
    expect(requests().sort()).toEqual([...expected].sort());
    const status = await getPartnerStatus(context, partnerId);
    expect(status.recordRequests?.map((r) => [r.kind, r.schoolYear])).toEqual(expected.map(([kind, year]) => [kind, year]));
    expect(status.records[0]).toMatchObject({ kind: 'photo_video_consent_practice', method: 'cli' });
    // A contract registering again asks nothing new.
    await register('d', '2026-2027');
    const after = await eventually(async () => {
      const s = await getPartnerStatus(context, partnerId);
      return s.contracts.length === 4 && s;
    });
    expect(after.recordRequests).toHaveLength(3);
  });
});

/** A partner asked for the data-sharing agreement by a contract, with requests reminded and expiring on the given periods. */
async function askedForDataSharing(name: string, signature: { remindEvery: string; expireAfter: string }) {
  const { worker, context, sent } = await fakeWorkerFor(temporal, name, testPolicy(signature));
  const partnerId = uniqueId('partner');
  const emails = () =>
    (sent as TNotification[]).flatMap((n) => (n.kind === 'agency_record_request' && n.partnerId === partnerId ? [n] : []));
  const events = async () =>
    (await getPartnerStatus(context, partnerId)).history.map((h) => h.event).filter((e) => e.startsWith('record_'));
  const start = async () => {
    await applyPartner(context, partnerApplication(partnerId));
    await temporal.env.client.workflow.getHandle(partnerWorkflowId(partnerId)).signal(registerContractSignal, {
      contractWorkflowId: `contract-a-${partnerId}`,
      schoolYear: '2026-2027',
      needs: ['data_sharing_agreement'],
    });
    await eventually(async () => (await events()).includes('record_requested'));
  };
  return { worker, context, partnerId, emails, events, start };
}

test('an unaffirmed record request is reminded on the policy period, then expires; each event is on the history', async () => {
  const { worker, context, partnerId, emails, events, start } = await askedForDataSharing('record-remind', {
    remindEvery: '2s',
    expireAfter: '5s',
  });
  await worker.runUntil(async () => {
    await start();
    await eventually(async () => (await events()).includes('record_expired'), 20_000);
    const [request] = (await getPartnerStatus(context, partnerId)).recordRequests!;
    // Reminders fall due at 2 s and 4 s, expiry at 5 s. A worker woken late under load finds the deadline passed and
    // expires the request without the reminder it missed, so one reminder or two, never more, each numbered in turn.
    const reminders = request!.reminders ?? 0;
    expect(reminders === 1 || reminders === 2).toBe(true);
    expect(await events()).toEqual(['record_requested', ...Array<string>(reminders).fill('record_reminded'), 'record_expired']);
    expect(emails().map((n) => [n.requestNumber, n.reminderNumber])).toEqual(
      [0, ...Array.from({ length: reminders }, (_, i) => i + 1)].map((number) => [1, number]),
    );
    expect(emails().every((n) => n.deadline === new Date(Date.parse(request!.requestedAt) + 5_000).toISOString())).toBe(true);
    expect(request!.expiredAt).toEqual(expect.any(String));
  });
});

test('staff resend: a new request number; the older request can no longer be affirmed; views and the affirmation are recorded', async () => {
  const { worker, context, partnerId, emails, events, start } = await askedForDataSharing('record-resend', {
    remindEvery: '1h',
    expireAfter: '2h',
  });
  await worker.runUntil(async () => {
    await start();
    const by = { name: 'CPO Staff' };
    await expect(resendAgencyRecordRequest(context, partnerId, { by, kind: 'safety_attestation' })).rejects.toMatchObject({
      problems: [expect.objectContaining({ field: 'kind' })],
    });
    await expect(resendAgencyRecordRequest(context, partnerId, { by, kind: 'background_check_affirmation' })).rejects.toThrow(
      /no background_check_affirmation request is waiting/,
    );
    await recordAgencyRecordView(context, partnerId, { kind: 'data_sharing_agreement', schoolYear: null, requestNumber: 1 });
    expect(await resendAgencyRecordRequest(context, partnerId, { by, kind: 'data_sharing_agreement' })).toBe(2);
    await eventually(
      async () => emails().some((n) => n.requestNumber === 2) && (await events()).filter((e) => e === 'record_requested').length === 2,
    );
    const statement = context.policy.agencyRecords.statements.data_sharing_agreement!;
    const affirm = (requestNumber: number) =>
      recordAgencyRecord(context, partnerId, {
        kind: 'data_sharing_agreement',
        by: { name: 'Lan Nguyễn' },
        statement,
        method: 'web',
        requestNumber,
      });
    await expect(affirm(1)).rejects.toThrow(/newer request for this record replaced this one/);
    expect((await getPartnerStatus(context, partnerId)).records).toEqual([]);
    await affirm(2);
    await expect(resendAgencyRecordRequest(context, partnerId, { by, kind: 'data_sharing_agreement' })).rejects.toThrow(
      /nothing to resend/,
    );
    const status = await getPartnerStatus(context, partnerId);
    expect(status.recordRequests!.map((r) => [r.kind, Boolean(r.viewedAt)])).toEqual([
      ['data_sharing_agreement', true],
      ['data_sharing_agreement', false],
    ]);
    expect(await events()).toEqual([
      'record_requested',
      'record_viewed',
      'record_resend_asked',
      'record_resent',
      'record_requested',
      'record_added',
    ]);
  });
});

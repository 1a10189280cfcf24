import { applyPartner, getPartnerStatus, recordAgencyRecord } from '../../client/partners';
import { registerContractSignal } from '../../domain/messages';
import type { TNotification } from '../../domain/schemas/notification';
import { partnerWorkflowId, type TAgencyRecordKind } from '../../domain/vocabulary';
import { createFakeActivities } from '../helpers/fake-activities';
import { partnerApplication } from '../helpers/fixtures';
import { contextFor, createTestWorker, eventually, testPolicy, uniqueId, uniqueTaskQueue, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();

test('a contract needing agency records the agency lacks has each asked of the representative once per kind, and per school year for yearly kinds', async () => {
  const taskQueue = uniqueTaskQueue('record-requests');
  const { activities, sent } = createFakeActivities();
  const worker = await createTestWorker(temporal.env, taskQueue, temporal.workflowBundle, activities);
  const base = testPolicy();
  const policy = { ...base, agencyRecords: { ...base.agencyRecords, renewEachSchoolYear: ['safety_attestation', 'background_check_affirmation'] as TAgencyRecordKind[] } };
  const context = contextFor(temporal.env, taskQueue, policy);
  const partnerId = uniqueId('partner');
  const requests = () =>
    (sent as TNotification[]).flatMap((n) => (n.kind === 'agency_record_request' && n.partnerId === partnerId ? [[n.recordKind, n.schoolYear, n.statement, n.to[0]]] : []));
  await worker.runUntil(async () => {
    const application = partnerApplication(partnerId);
    await applyPartner(context, application);
    await recordAgencyRecord(context, partnerId, { kind: 'photo_video_consent_practice', by: { name: 'CPO Staff' }, statement: 'Paper form received on 1 December.', method: 'cli' });
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
    await eventually(async () => requests().length >= 3 && (await getPartnerStatus(context, partnerId)).history.filter((h) => h.event === 'record_requested').length === 3);
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

// Records workflow histories for the replay test: `npm run record-histories`. Run it when a deliberate,
// versioned change to a workflow is made, and commit the new files beside the old ones (keep the old ones:
// workflows that started under them may still be running).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { z } from 'zod';
import {
  amendContract,
  approveContract,
  declineRenewal,
  getContractStatus,
  recordSigningView,
  renewContract,
  sendBackContract,
  startContract,
  voidContract,
} from '../../client/contracts';
import {
  applyPartner,
  certifyPartner,
  getPartnerStatus,
  recordAgencyRecord,
  recordAgencyRecordView,
  recordAttestationView,
  resendAgencyRecordRequest,
  resendAttestationRequest,
  signAttestation,
  startPartnerReview,
  terminatePartner,
} from '../../client/partners';
import { registerContractSignal, resendSignatureRequestUpdate, signContractUpdate } from '../../domain/messages';
import { localDate } from '../../domain/school-year';
import { contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { startDevServer } from '../../scripts/dev-server';
import { findTemporalCli } from '../../scripts/temporal-cli';
import { renewalContractsFor } from '../../worker/create-worker';
import { workflowBundleOptions } from '../../worker/workflow-bundle-options';
import { sendAdmittedTogether } from '../helpers/admitted-together';
import { createFakeActivities } from '../helpers/fake-activities';
import { signWhenAsked } from '../helpers/fake-worker';
import { holdActivity } from '../helpers/hold-activity';
import { testClock, upcomingTerm } from '../helpers/clock';
import { shortYearPolicy } from '../helpers/short-year-policy';
import { parseJson } from '../helpers/parse-json';
import { approvalPolicy, approvingOffice } from '../helpers/approval-policy';
import { ALL_CRITERIA_MET, contractRequest, departmentPaid, partnerApplication, readyPartner, termDates } from '../helpers/fixtures';
import { eventually, testPolicy } from '../helpers/temporal';

const OUT = path.join(__dirname, 'histories');
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };
const stemSigner = { name: 'Lan Nguyễn', email: 'lan@kids-stem-lab.example' };
const cranesSigner = { name: 'Lan Nguyễn', email: 'lan@paper-cranes-co.example' };

async function main(): Promise<void> {
  const cli = findTemporalCli();
  if (!cli) throw new Error('No Temporal CLI');
  const server = await startDevServer({ cliPath: cli.path, port: 17_233 });
  // Stopped also when a scenario fails, so no server is left holding the fixed port.
  try {
    const connection = await NativeConnection.connect({ address: server.address });
    const client = new Client({ connection: await Connection.connect({ address: server.address }) });
    const taskQueue = 'record-histories';
    const context = { client, taskQueue, policy: testPolicy(), now: testClock() };
    // 2026.4: the PDF of this contract is held while the scenario voids it.
    const draftingHeld = holdActivity(
      createFakeActivities({ renewals: renewalContractsFor(context) }).activities,
      'generateContractPdf',
      (input) => input.request.contractId === 'cranes-voided-drafting',
    );
    // A worker runs once; the scenarios need a pause without one (updates that must reach a workflow together).
    // 2026.4: the origami club's attestation emails never go through (the mail server keeps answering "try again").
    const sendNotification: typeof draftingHeld.activities.sendNotification = async (notification) => {
      if (notification.kind === 'attestation_request' && notification.partnerId === 'origami-club')
        throw new Error('451 4.3.2 try again later');
      return draftingHeld.activities.sendNotification(notification);
    };
    const workflowBundle = await bundleWorkflowCode(workflowBundleOptions());
    const newWorker = () =>
      Worker.create({ connection, taskQueue, workflowBundle, activities: { ...draftingHeld.activities, sendNotification } });
    const stage = (id: string, wanted: string) => eventually(async () => (await getContractStatus(context, id)).stage === wanted);

    // Each version's scenarios get their own ids; files already recorded are never overwritten.
    const { nextId, resendSha256 } = await (
      await newWorker()
    ).runUntil(async () => {
      // 2026.2: agency records per school year, amendments and renewal.
      await readyPartner(context, 'kids-stem-lab');
      await recordAgencyRecord(context, 'kids-stem-lab', {
        kind: 'photo_video_consent_practice',
        by: cpoOffice,
        statement: 'Signed parent/guardian consent before any photo.',
      });
      await startContract(context, contractRequest('stem-amended', 'kids-stem-lab', { goLiveDate: new Date().toISOString() }));
      await signWhenAsked(context, 'stem-amended', 'partner', stemSigner);
      await signWhenAsked(context, 'stem-amended', 'district', cpoOffice);
      await stage('stem-amended', 'live');
      await amendContract(context, 'stem-amended', { by: cpoOffice, addSchools: ['Sanford Middle'] });
      await signWhenAsked(context, 'stem-amended', 'partner', stemSigner);
      await signWhenAsked(context, 'stem-amended', 'district', cpoOffice);
      await eventually(async () => (await getContractStatus(context, 'stem-amended')).amendments[0]?.status === 'executed');
      const nextId = await renewContract(context, 'stem-amended', { by: cpoOffice });
      await eventually(async () => (await getPartnerStatus(context, 'kids-stem-lab')).attestationRequests.length === 2);
      await stage(nextId, 'awaiting_prerequisites');
      await terminatePartner(context, 'kids-stem-lab', { by: cpoOffice, reason: 'recorded history: termination for cause' });
      for (const id of ['stem-amended', nextId]) await client.workflow.getHandle(contractWorkflowId(id)).result();

      // 2026.3: attestation emails go out in the background (patch attestation-email-in-background).
      await readyPartner(context, 'reading-circle-co');
      await startContract(
        context,
        contractRequest('reading-circle-2027', 'reading-circle-co', termDates(upcomingTerm(context.policy, { daysAhead: 400 }))),
      );
      await eventually(async () => (await getPartnerStatus(context, 'reading-circle-co')).attestationRequests.length === 2);
      await stage('reading-circle-2027', 'awaiting_prerequisites');
      await terminatePartner(context, 'reading-circle-co', { by: cpoOffice, reason: 'recorded history: termination for cause' });
      await client.workflow.getHandle(contractWorkflowId('reading-circle-2027')).result();

      // 2026.4: a contract voided while its PDF is made stops there (patch stop-when-closed-during-activity).
      await readyPartner(context, 'paper-cranes-co');
      await startContract(context, contractRequest('cranes-voided-drafting', 'paper-cranes-co'));
      await draftingHeld.whenStarted;
      await voidContract(context, 'cranes-voided-drafting', { by: cpoOffice, reason: 'recorded history: voided while the PDF was made' });
      draftingHeld.release();
      await client.workflow.getHandle(contractWorkflowId('cranes-voided-drafting')).result();

      // 2026.4: an amendment still out for signature expires with the term (patch amendment-ends-with-term).
      const shortYear = { ...context, policy: shortYearPolicy(19_000, 20_000) };
      const { timeZone } = shortYear.policy;
      const yesterday = localDate(Date.now() - 86_400_000, timeZone);
      const lastDay = localDate(Date.parse(shortYear.policy.schoolYear.calendar[0]!.endsAt) - 1, timeZone);
      await startContract(
        shortYear,
        contractRequest('cranes-amended-at-term-end', 'paper-cranes-co', { startDate: yesterday, goLiveDate: yesterday, endDate: lastDay }),
      );
      await signWhenAsked(context, 'cranes-amended-at-term-end', 'partner', cranesSigner);
      await signWhenAsked(context, 'cranes-amended-at-term-end', 'district', cpoOffice);
      await stage('cranes-amended-at-term-end', 'live');
      await amendContract(context, 'cranes-amended-at-term-end', { by: cpoOffice, addSchools: ['Sanford Middle'] });
      await client.workflow.getHandle(contractWorkflowId('cranes-amended-at-term-end')).result();

      // 2026.4: waiting to continue as new while an attestation email retries, the agency still tells its contracts
      // of a termination (patch work-while-waiting-to-continue-as-new).
      const origami = await client.workflow.start('partnerWorkflow', {
        workflowId: partnerWorkflowId('origami-club'),
        taskQueue,
        args: [{ application: partnerApplication('origami-club'), policy: context.policy, continueAsNewAfterEvents: 30 }],
      });
      await startPartnerReview(context, 'origami-club', { reviewer: cpoOffice });
      await certifyPartner(context, 'origami-club', { reviewer: cpoOffice, checklist: ALL_CRITERIA_MET });
      await startContract(context, contractRequest('origami-waiting', 'origami-club'));
      for (const kind of ['background_check_affirmation', 'photo_video_consent_practice', 'data_sharing_agreement'] as const) {
        await recordAgencyRecord(context, 'origami-club', {
          kind,
          by: cpoOffice,
          statement: 'Recorded from the paper form on file.',
          documentSha256: 'c'.repeat(64),
        });
      }
      await eventually(async () => (await origami.describe()).historyLength >= 30);
      await terminatePartner(context, 'origami-club', { by: cpoOffice, reason: 'recorded history: terminated while an email retried' });
      await client.workflow.getHandle(contractWorkflowId('origami-waiting')).result();

      // 2026.4: a reload of the signing page is not recorded again (patch signing-views-bounded).
      await startContract(context, contractRequest('cranes-viewed-twice', 'paper-cranes-co'));
      await stage('cranes-viewed-twice', 'awaiting_partner_signature');
      for (let view = 0; view < 2; view++)
        await recordSigningView(context, 'cranes-viewed-twice', {
          role: 'partner',
          requestNumber: 1,
          ipAddress: '203.0.113.7',
          userAgent: 'Partner browser',
        });
      await voidContract(context, 'cranes-viewed-twice', { by: cpoOffice, reason: 'recorded history: voided after two views' });
      await client.workflow.getHandle(contractWorkflowId('cranes-viewed-twice')).result();

      // 2026.5: the renewal opens with go-live (patch renewal-opens-with-live).
      await readyPartner(context, 'lantern-arts');
      await startContract(context, contractRequest('lantern-live', 'lantern-arts', { goLiveDate: new Date().toISOString() }));
      await signWhenAsked(context, 'lantern-live', 'partner', { name: 'Lan Nguyễn', email: 'lan@lantern-arts.example' });
      await signWhenAsked(context, 'lantern-live', 'district', cpoOffice);
      await stage('lantern-live', 'live');
      await declineRenewal(context, 'lantern-live', { by: cpoOffice, reason: 'recorded history: the program ends in June' });
      await terminatePartner(context, 'lantern-arts', { by: cpoOffice, reason: 'recorded history: termination for cause' });
      await client.workflow.getHandle(contractWorkflowId('lantern-live')).result();

      // 2026.6: approval by link and reply (patch approval-by-link): approved by link after a reminder; sent back by reply.
      const approving = { ...context, policy: approvalPolicy({ remindEvery: '2s', expireAfter: '1h' }) };
      await startContract(approving, contractRequest('cranes-approved-after-reminder', 'paper-cranes-co', departmentPaid));
      await eventually(async () =>
        (await getContractStatus(context, 'cranes-approved-after-reminder')).history.some(
          (entry) => entry.event === 'approval_reminder_sent',
        ),
      );
      await approveContract(context, 'cranes-approved-after-reminder', { by: approvingOffice, requestNumber: 1, method: 'link' });
      await stage('cranes-approved-after-reminder', 'awaiting_partner_signature');
      await voidContract(context, 'cranes-approved-after-reminder', {
        by: cpoOffice,
        reason: 'recorded history: voided after the approval',
      });
      await client.workflow.getHandle(contractWorkflowId('cranes-approved-after-reminder')).result();
      await startContract(approving, contractRequest('cranes-sent-back', 'paper-cranes-co', departmentPaid));
      await eventually(async () => (await getContractStatus(context, 'cranes-sent-back')).approval?.requestNumber === 1);
      await sendBackContract(context, 'cranes-sent-back', {
        by: approvingOffice,
        reason: 'recorded history: the amount is wrong',
        requestNumber: 1,
        method: 'email_reply',
      });
      await client.workflow.getHandle(contractWorkflowId('cranes-sent-back')).result();

      // 2026.6: attestation reminders, expiry, a view, a resend and the signature (patch attestation-follow-up).
      const willowContext = { ...context, policy: testPolicy({ remindEvery: '1s', expireAfter: '3s' }) };
      await applyPartner(willowContext, partnerApplication('willow-tutors'));
      await eventually(async () => (await getPartnerStatus(context, 'willow-tutors')).attestationRequests[0]?.expiredAt);
      await resendAttestationRequest(context, 'willow-tutors', { by: cpoOffice });
      const resent = await eventually(async () => (await getPartnerStatus(context, 'willow-tutors')).attestationRequests[1]);
      await recordAttestationView(context, 'willow-tutors', { schoolYear: resent.schoolYear, requestNumber: 2 });
      const willow = partnerApplication('willow-tutors').representative;
      await signAttestation(context, 'willow-tutors', { ...willow, consent: true, documentSha256: resent.document.sha256 });

      // 2026.7: the signed attestation is sealed and emailed to the representative (patch sealed-attestation).
      await applyPartner(context, partnerApplication('maple-mentors'));
      const mapleForm = await eventually(async () => (await getPartnerStatus(context, 'maple-mentors')).attestationRequests[0]);
      const maple = partnerApplication('maple-mentors').representative;
      await signAttestation(context, 'maple-mentors', {
        ...maple,
        consent: true,
        method: 'link',
        documentSha256: mapleForm.document.sha256,
      });
      await eventually(async () => (await getPartnerStatus(context, 'maple-mentors')).attestations[0]?.sealed);

      // 2026.7: a contract needing the data-sharing agreement has it asked by email, then affirmed (patch agency-record-requests).
      await applyPartner(context, partnerApplication('birch-readers'));
      await client.workflow.getHandle(partnerWorkflowId('birch-readers')).signal(registerContractSignal, {
        contractWorkflowId: contractWorkflowId('birch-program'),
        schoolYear: (await getPartnerStatus(context, 'birch-readers')).attestationRequests[0]?.schoolYear ?? '2026-2027',
        needs: ['safety_attestation', 'data_sharing_agreement'],
      });
      await eventually(async () =>
        (await getPartnerStatus(context, 'birch-readers')).history.some((entry) => entry.event === 'record_requested'),
      );
      const birch = partnerApplication('birch-readers').representative;
      await recordAgencyRecord(context, 'birch-readers', {
        kind: 'data_sharing_agreement',
        by: { name: birch.name },
        statement: context.policy.agencyRecords.statements.data_sharing_agreement!,
        method: 'web',
      });

      // 2026.8: an affirmation request reminded, expired, resent, viewed and affirmed by reply (patch agency-record-follow-up).
      const aspenContext = { ...context, policy: testPolicy({ remindEvery: '1s', expireAfter: '3s' }) };
      await applyPartner(aspenContext, partnerApplication('aspen-mentors'));
      await client.workflow.getHandle(partnerWorkflowId('aspen-mentors')).signal(registerContractSignal, {
        contractWorkflowId: contractWorkflowId('aspen-program'),
        schoolYear: (await getPartnerStatus(context, 'aspen-mentors')).attestationRequests[0]?.schoolYear ?? '2026-2027',
        needs: ['data_sharing_agreement'],
      });
      await eventually(async () => (await getPartnerStatus(context, 'aspen-mentors')).recordRequests?.[0]?.expiredAt);
      await resendAgencyRecordRequest(context, 'aspen-mentors', { by: cpoOffice, kind: 'data_sharing_agreement' });
      await eventually(async () => (await getPartnerStatus(context, 'aspen-mentors')).recordRequests?.[1]);
      await recordAgencyRecordView(context, 'aspen-mentors', { kind: 'data_sharing_agreement', schoolYear: null, requestNumber: 2 });
      const aspen = partnerApplication('aspen-mentors').representative;
      const dataSharing = context.policy.agencyRecords.statements.data_sharing_agreement!;
      await recordAgencyRecord(context, 'aspen-mentors', {
        kind: 'data_sharing_agreement',
        by: { name: aspen.name },
        statement: dataSharing,
        method: 'email_reply',
        requestNumber: 2,
      });

      // 2026.4: a signature and a resend in one activation; the resend lapses (patch resend-lapses-with-its-request).
      await startContract(context, contractRequest('cranes-resend-lapsed', 'paper-cranes-co'));
      // The worker stops next: only once the request email is sent, or the activity would wait for its timeout.
      await eventually(async () =>
        (await getContractStatus(context, 'cranes-resend-lapsed')).history.some((entry) => entry.event === 'signature_request_sent'),
      );
      return { nextId, resendSha256: (await getContractStatus(context, 'cranes-resend-lapsed')).documents.contract!.sha256 };
    });
    const resendHandle = client.workflow.getHandle(contractWorkflowId('cranes-resend-lapsed'));
    const together = await sendAdmittedTogether(client, resendHandle.workflowId, [
      (updateId) => resendHandle.executeUpdate(resendSignatureRequestUpdate, { updateId, args: [{ by: { name: 'CPO Staff' } }] }),
      (updateId) =>
        resendHandle.executeUpdate(signContractUpdate, {
          updateId,
          args: [{ role: 'partner', ...cranesSigner, consent: true, method: 'cli', documentSha256: resendSha256 }],
        }),
    ]);
    await (
      await newWorker()
    ).runUntil(async () => {
      await Promise.all(together);
      await stage('cranes-resend-lapsed', 'awaiting_district_signature');
      await voidContract(context, 'cranes-resend-lapsed', { by: cpoOffice, reason: 'recorded history: voided after the lapsed resend' });
      await resendHandle.result();
    });

    const recorded = [
      partnerWorkflowId('kids-stem-lab'),
      contractWorkflowId('stem-amended'),
      contractWorkflowId(nextId),
      partnerWorkflowId('reading-circle-co'),
      contractWorkflowId('cranes-voided-drafting'),
      contractWorkflowId('cranes-resend-lapsed'),
      contractWorkflowId('cranes-amended-at-term-end'),
      partnerWorkflowId('origami-club'),
      contractWorkflowId('cranes-viewed-twice'),
      contractWorkflowId('lantern-live'),
      contractWorkflowId('cranes-approved-after-reminder'),
      contractWorkflowId('cranes-sent-back'),
      partnerWorkflowId('willow-tutors'),
      partnerWorkflowId('maple-mentors'),
      partnerWorkflowId('birch-readers'),
      partnerWorkflowId('aspen-mentors'),
    ];
    for (const workflowId of recorded) {
      const file = path.join(OUT, `${workflowId}.json`);
      if (existsSync(file)) continue;
      // The CLI writes the JSON that historyFromJSON reads (the SDK's historyToJSON trips over a protobufjs mismatch).
      const json = execFileSync(cli.path, [
        'workflow',
        'show',
        '--workflow-id',
        workflowId,
        '--address',
        server.address,
        '--output',
        'json',
      ]);
      writeFileSync(file, json);
      console.log(`recorded ${workflowId}: ${parseJson(z.object({ events: z.array(z.unknown()) }), json.toString()).events.length} events`);
    }
    await connection.close();
    await client.connection.close();
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Property-based bad payloads for every update and signal the workflows declare (domain/messages.ts), sent
// straight through the Temporal client, past every check the CPO client makes: each update's validator rejects
// them, naming the field, before anything enters history; a signal cannot be refused, so a bad one must change
// nothing and must not fail the workflow task.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import type { z } from 'zod';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, startContract } from '../../client/contracts';
import { getPartnerStatus } from '../../client/partners';
import * as messages from '../../domain/messages';
import { getContractStatusQuery, getPartnerStatusQuery } from '../../domain/messages';
import {
  ZAmendContractSchema,
  ZApproveContractSchema,
  ZSendBackContractSchema,
  ZDeclineContractSchema,
  ZDeclineRenewalSchema,
  ZRecordViewSchema,
  ZRenewContractSchema,
  ZResendSignatureRequestSchema,
  ZSignContractSchema,
  ZStartProgramSchema,
  ZVoidContractSchema,
} from '../../domain/schemas/contract';
import {
  ZCertifyPartnerSchema,
  ZContractRegistrationSchema,
  ZPartnerStandingSchema,
  ZRecordAgencyRecordSchema,
  ZRecordAgencyRecordViewSchema,
  ZRecordAttestationViewSchema,
  ZRejectPartnerSchema,
  ZResendAgencyRecordRequestSchema,
  ZResendAttestationRequestSchema,
  ZSignAttestationSchema,
  ZStartReviewSchema,
  ZTerminatePartnerSchema,
  ZWithdrawPartnerSchema,
} from '../../domain/schemas/partner';
import { contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { anyJson, corruptOneField, sameField } from '../helpers/bad-input';
import { fakeWorkerFor } from '../helpers/fake-worker';
import { ALL_CRITERIA_MET, contractRequest, readyPartner } from '../helpers/fixtures';
import {
  CPO_OFFICE,
  knownHandles,
  snapshotAll,
  startKnownWorkflows,
  waitUntilIdle,
  type TKnownHandle,
  type TKnownWorkflowKey,
  type TKnownWorkflows,
  type TWorkflowSnapshot,
} from '../helpers/known-workflows';
import { waitForStage } from '../helpers/fake-worker';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

/** Runs per property and update; each run is one update the workflow's validator answers (a few ms). */
const RUNS = 30;
/** Runs per signal; each is a signal, a query and a read of the history. */
const SIGNAL_RUNS = 25;

const temporal = useTemporalTestEnvironment();
let context: TCpoContext;
let known: TKnownWorkflows;
let handles: TKnownHandle[];
let baseline: TWorkflowSnapshot[];
/** Valid payloads need what only the workflows know: the documents out for signature. */
let appliedAttestationSha: string;
let awaitingContractSha: string;

beforeAll(async () => {
  const worker = await fakeWorkerFor(temporal, 'update-property');
  temporal.runWorkerForFile(worker.worker);
  context = worker.context;
  known = await startKnownWorkflows(context, 'upd');
  handles = knownHandles(context, known);
  baseline = await snapshotAll(handles);
  appliedAttestationSha = (await getPartnerStatus(context, known.applied)).attestationRequests[0]!.document.sha256;
  awaitingContractSha = (await getContractStatus(context, known.awaiting)).documents.contract!.sha256;
}, 120_000);

// ---------------------------------------------------------------------------------------------------------------
// Every update: the workflow it is aimed at (one where the valid payload would be accepted), the schema its
// validator parses with, and a valid payload to corrupt one field at a time.

interface TUpdateSpec {
  target: TKnownWorkflowKey;
  schema: z.ZodType;
  valid: (k: TKnownWorkflows) => Record<string, unknown>;
}
const reviewer = { name: 'CPO Reviewer', email: CPO_OFFICE.email };
const origin = { ipAddress: '203.0.113.7', userAgent: 'property test' };
const UPDATE_SPECS: Record<string, TUpdateSpec> = {
  startReview: { target: 'applied', schema: ZStartReviewSchema, valid: () => ({ reviewer }) },
  certifyPartner: {
    target: 'reviewing',
    schema: ZCertifyPartnerSchema,
    valid: () => ({ reviewer, checklist: ALL_CRITERIA_MET, note: 'site visit done' }),
  },
  rejectPartner: { target: 'reviewing', schema: ZRejectPartnerSchema, valid: () => ({ reviewer, reason: 'not a community partner' }) },
  withdrawPartner: { target: 'reviewing', schema: ZWithdrawPartnerSchema, valid: () => ({ by: reviewer, reason: 'the program closed' }) },
  terminatePartner: {
    target: 'certified',
    schema: ZTerminatePartnerSchema,
    valid: () => ({ by: CPO_OFFICE, reason: 'students left unsupervised' }),
  },
  signAttestation: {
    target: 'applied',
    schema: ZSignAttestationSchema,
    valid: (k) => ({ ...k.representativeOf(k.applied), consent: true, documentSha256: appliedAttestationSha, ...origin }),
  },
  recordAgencyRecord: {
    target: 'certified',
    schema: ZRecordAgencyRecordSchema,
    valid: () => ({
      kind: 'photo_video_consent_practice',
      by: CPO_OFFICE,
      statement: 'Families sign the consent form first.',
      documentSha256: 'a'.repeat(64),
      schoolYear: '2026-2027',
    }),
  },
  signContract: {
    target: 'awaiting',
    schema: ZSignContractSchema,
    valid: (k) => {
      const { name, title, email } = k.representativeOf(k.certified);
      return {
        role: 'partner',
        name,
        title,
        email,
        consent: true,
        documentSha256: awaitingContractSha,
        method: 'link',
        requestNumber: 1,
        ...origin,
      };
    },
  },
  declineContract: {
    target: 'awaiting',
    schema: ZDeclineContractSchema,
    valid: (k) => ({
      by: { name: 'Lan', email: k.representativeOf(k.certified).email },
      reason: 'our funding ended',
      requestNumber: 1,
      ...origin,
    }),
  },
  voidContract: { target: 'awaiting', schema: ZVoidContractSchema, valid: () => ({ by: CPO_OFFICE, reason: 'program cancelled' }) },
  resendSignatureRequest: { target: 'awaiting', schema: ZResendSignatureRequestSchema, valid: () => ({ by: CPO_OFFICE }) },
  resendAttestationRequest: { target: 'applied', schema: ZResendAttestationRequestSchema, valid: () => ({ by: CPO_OFFICE }) },
  resendAgencyRecordRequest: {
    target: 'certified',
    schema: ZResendAgencyRecordRequestSchema,
    valid: () => ({ by: CPO_OFFICE, kind: 'data_sharing_agreement' }),
  },
  approveContract: {
    target: 'approval',
    schema: ZApproveContractSchema,
    valid: (k) => ({ by: { name: 'SCP Office', email: k.approverEmail }, requestNumber: 1, method: 'link' }),
  },
  sendBackContract: {
    target: 'approval',
    schema: ZSendBackContractSchema,
    valid: (k) => ({
      by: { name: 'SCP Office', email: k.approverEmail },
      reason: 'the amount is wrong',
      requestNumber: 1,
      method: 'email_reply',
    }),
  },
  amendContract: {
    target: 'live',
    schema: ZAmendContractSchema,
    valid: () => ({ by: CPO_OFFICE, addSchools: ['Sanford Middle', 'Lyndale'], note: 'the principal asked' }),
  },
  renewContract: {
    target: 'live',
    schema: ZRenewContractSchema,
    valid: () => ({ by: CPO_OFFICE, changes: { contractId: 'next-year-reading', schools: ['Lyndale'], amountCents: 0 } }),
  },
  declineRenewal: { target: 'live', schema: ZDeclineRenewalSchema, valid: () => ({ by: CPO_OFFICE, reason: 'another provider' }) },
  startProgram: { target: 'live', schema: ZStartProgramSchema, valid: () => ({ by: { name: 'Principal' }, school: 'Anwatin Middle' }) },
};

type TDefinition = { type: string; name: string };
const declared = (type: 'update' | 'signal'): TDefinition[] =>
  (Object.values(messages) as unknown[]).filter(
    (value): value is TDefinition => typeof value === 'object' && value !== null && (value as TDefinition).type === type,
  );
const UPDATES = declared('update');
const SIGNALS = declared('signal');

/** What a payload becomes on the way through Temporal's JSON converter. */
const overJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
/** The fields an "Invalid input: a.b: …; c: …" rejection names. */
const namedFields = (message: string): string[] =>
  [...message.replace(/^Invalid input: /, '').matchAll(/(?:^|; )([^\s:;]+): /g)].map((match) => match[1]!);

const handleOf = (key: TKnownWorkflowKey): WorkflowHandle => handles.find((h) => h.key === key)!.handle;

/** The update must be rejected, by its validator, for invalid input; returns the rejection's message. */
async function expectRejected(update: TDefinition, target: TKnownWorkflowKey, args: unknown[]): Promise<string> {
  const what = `${update.name}(${JSON.stringify(args).slice(0, 400)}) on ${target}`;
  const outcome = await handleOf(target)
    .executeUpdate(update.name, { args: args as [unknown] })
    .then(
      (result) => ({ accepted: result }),
      (error: unknown) => ({ error }),
    );
  expect([what, 'accepted' in outcome ? `accepted: ${JSON.stringify(outcome.accepted)}` : 'rejected']).toEqual([what, 'rejected']);
  const { error } = outcome as { error: unknown };
  expect([what, error instanceof WorkflowUpdateFailedError]).toEqual([what, true]);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect([what, cause instanceof ApplicationFailure]).toEqual([what, true]);
  const message = cause!.message;
  expect([what, message]).toEqual([what, expect.stringMatching(/^Invalid input: /)]);
  expect([what, /\n\s+at |TypeError|\bundefined\b/.test(message)]).toEqual([what, false]);
  return message;
}

describe('updates', () => {
  afterEach(async () => {
    // Rejected updates leave no trace: same history length, no accepted update, no failed task, same status.
    expect(await snapshotAll(handles)).toEqual(baseline);
  });

  test('every declared update has a spec here, and its valid payload passes its schema', () => {
    expect(UPDATES.map((u) => u.name).sort()).toEqual(Object.keys(UPDATE_SPECS).sort());
    for (const [name, spec] of Object.entries(UPDATE_SPECS)) {
      expect([name, spec.schema.safeParse(spec.valid(known)).success]).toEqual([name, true]);
    }
  });

  describe.each(UPDATES.map((update) => [update.name, update] as const))('%s', (name, update) => {
    const spec = () => {
      const found = UPDATE_SPECS[name];
      if (!found) throw new Error(`No spec for the update "${name}": add its target, schema and a valid payload to UPDATE_SPECS`);
      return found;
    };

    test('a payload with one field wrong is rejected by the validator, naming the field, and leaves no history', async () => {
      const { target, schema, valid } = spec();
      const corrupted = corruptOneField(schema, valid(known))
        .map((c) => ({ ...c, payload: overJson(c.payload) }))
        .filter(({ payload }) => !schema.safeParse(payload).success);
      await fc.assert(
        fc.asyncProperty(corrupted, async ({ path, payload }) => {
          const message = await expectRejected(update, target, [payload]);
          const what = `${name}: corrupted ${path} → ${message}`;
          expect([what, namedFields(message).some((field) => sameField(field, path))]).toEqual([what, true]);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });

    test('a payload that is not an object of its shape, or none at all, is rejected by the validator', async () => {
      const { target, schema } = spec();
      const payloads = fc.oneof(
        fc.constant<unknown[]>([]),
        fc.constant<unknown[]>([null]),
        anyJson.map((value) => [overJson(value)]).filter(([value]) => !schema.safeParse(value).success),
      );
      await fc.assert(
        fc.asyncProperty(payloads, async (args) => {
          await expectRejected(update, target, args);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Signals: their own partner and contract, since every signal, even a refused one, is an event in history.

describe('signals', () => {
  let partner: WorkflowHandle;
  let contract: WorkflowHandle;
  let partnerId: string;
  let initial: { partner: string; contract: string };
  const statusOf = async () => ({
    partner: JSON.stringify(await partner.query(getPartnerStatusQuery)),
    contract: JSON.stringify(await contract.query(getContractStatusQuery)),
  });
  const failedTasks = async (handle: WorkflowHandle) =>
    ((await handle.fetchHistory()).events ?? []).filter((event) => event.workflowTaskFailedEventAttributes).length;

  beforeAll(async () => {
    partnerId = uniqueId('sig-partner');
    const contractId = uniqueId('sig-contract');
    await readyPartner(context, partnerId);
    await startContract(context, contractRequest(contractId, partnerId));
    await waitForStage(context, contractId, 'awaiting_partner_signature');
    partner = context.client.workflow.getHandle(partnerWorkflowId(partnerId));
    contract = context.client.workflow.getHandle(contractWorkflowId(contractId));
    await Promise.all([waitUntilIdle(partner), waitUntilIdle(contract)]);
    initial = await statusOf();
  });

  afterEach(async () => {
    for (const handle of [partner, contract]) {
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await failedTasks(handle)).toBe(0);
    }
    expect(await statusOf()).toEqual(initial);
  });

  interface TSignalSpec {
    to: () => WorkflowHandle;
    schema: z.ZodType;
    /** A payload the workflow would act on: corrupted, it must be ignored. */
    valid: () => Record<string, unknown>;
    /** Well-formed payloads that are still not for this workflow, and must be ignored too. */
    notForIt?: () => fc.Arbitrary<unknown>;
  }
  const SIGNAL_SPECS: Record<string, TSignalSpec> = {
    registerContract: {
      to: () => partner,
      schema: ZContractRegistrationSchema,
      valid: () => ({
        contractWorkflowId: contractWorkflowId(uniqueId('ghost')),
        schoolYear: '2027-2028',
        category: 'mental_health',
        needs: ['safety_attestation'],
      }),
    },
    updatePartnerStanding: {
      to: () => contract,
      schema: ZPartnerStandingSchema,
      // A withdrawal: accepted, it would void the contract.
      valid: () => ({
        partnerId,
        organizationName: 'Hội Người Việt Tutoring',
        stage: 'withdrawn',
        attestationSignedAt: null,
        recordsOnFile: [],
        endedReason: 'the partner withdrew: test',
      }),
      notForIt: () =>
        fc
          .string({ minLength: 3, maxLength: 20 })
          .filter((id) => /^[a-z0-9][a-z0-9-]{2,63}$/.test(id) && id !== partnerId)
          .map((other) => ({
            partnerId: other,
            organizationName: 'Another agency',
            stage: 'withdrawn',
            attestationSignedAt: null,
            endedReason: 'not this partner',
          })),
    },
    recordAttestationView: {
      to: () => partner,
      schema: ZRecordAttestationViewSchema,
      // A view of the partner's first attestation request: accepted, it would add a "viewed" event.
      valid: () => ({ schoolYear: '2026-2027', requestNumber: 1 }),
    },
    recordAgencyRecordView: {
      to: () => partner,
      schema: ZRecordAgencyRecordViewSchema,
      // A view of a first data-sharing request: it would add a "viewed" event if the partner had one.
      valid: () => ({ kind: 'data_sharing_agreement', schoolYear: null, requestNumber: 1 }),
      notForIt: () =>
        fc.integer({ min: 2, max: 1000 }).map((requestNumber) => ({ kind: 'data_sharing_agreement', schoolYear: null, requestNumber })),
    },
    recordSigningView: {
      to: () => contract,
      schema: ZRecordViewSchema,
      // A view of the current request: accepted, it would add a "viewed" event.
      valid: () => ({ role: 'partner', requestNumber: 1, ipAddress: '203.0.113.7', userAgent: 'property test' }),
      notForIt: () =>
        fc.oneof(
          fc.integer({ min: 2, max: 1000 }).map((requestNumber) => ({ role: 'partner', requestNumber })),
          fc.constant({ role: 'district', requestNumber: 1 }),
        ),
    },
  };

  test('every declared signal has a spec here, and its valid payload passes its schema', () => {
    expect(SIGNALS.map((s) => s.name).sort()).toEqual(Object.keys(SIGNAL_SPECS).sort());
    for (const [name, spec] of Object.entries(SIGNAL_SPECS))
      expect([name, spec.schema.safeParse(spec.valid()).success]).toEqual([name, true]);
  });

  test.each(SIGNALS.map((signal) => signal.name))('%s: a bad payload changes nothing and does not fail the workflow task', async (name) => {
    const spec = SIGNAL_SPECS[name];
    if (!spec) throw new Error(`No spec for the signal "${name}": add it to SIGNAL_SPECS`);
    const corrupted = corruptOneField(spec.schema, spec.valid())
      .map(({ payload }) => overJson(payload))
      .filter((payload) => !spec.schema.safeParse(payload).success);
    const notAnObject = anyJson.map(overJson).filter((payload) => !spec.schema.safeParse(payload).success);
    const payloads = fc.oneof(corrupted, notAnObject, fc.constant(null), ...(spec.notForIt ? [spec.notForIt()] : []));
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const handle = spec.to();
        await handle.signal(name, payload);
        const what = `${name}(${JSON.stringify(payload)?.slice(0, 300)})`;
        // A query after the signal is answered once the signal is handled.
        expect([what, await statusOf()]).toEqual([what, initial]);
        expect([what, await failedTasks(handle)]).toEqual([what, 0]);
      }),
      { numRuns: SIGNAL_RUNS, endOnFailure: true },
    );
  });
});

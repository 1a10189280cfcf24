import type { WorkflowHandle } from '@temporalio/client';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, startContract } from '../../client/contracts';
import { applyPartner, getPartnerStatus, startPartnerReview } from '../../client/partners';
import { loadPolicy } from '../../config/load-policy';
import { getContractStatusQuery, getPartnerStatusQuery } from '../../domain/messages';
import { contractWorkflowId, partnerWorkflowId } from '../../domain/vocabulary';
import { currentTerm } from './clock';
import { contractRequest, partnerApplication, readyPartner, termDates } from './fixtures';
import { signWhenAsked, waitForStage } from './fake-worker';
import { eventually, uniqueId } from './temporal';

/** The CPO office signs $0 contracts for Minneapolis. */
export const CPO_OFFICE = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' } as const;

/**
 * Workflows in known stages, for tests that aim bad input at real ids: whatever the input, none of them may change.
 * Each stage is one where the action under test would be allowed, so that bad input slipping through would show.
 */
export interface TKnownWorkflows {
  /** Partner just applied; its attestation form for this school year is out. */
  applied: string;
  /** Partner under review. */
  reviewing: string;
  /** Partner certified, attestation signed. */
  certified: string;
  /** $0 contract of `certified`, waiting for the partner's signature (request 1). */
  awaiting: string;
  /** $0 contract of `certified`, signed by both parties and live. */
  live: string;
  /** Seattle alignment agreement of `certified`, initiated and waiting for the School and Community Partnerships approval. */
  approval: string;
  /** Who approves `approval`. */
  approverEmail: string;
  /** The representative of each partner (also the partner signer of its contracts). */
  representativeOf: (partnerId: string) => { name: string; title: string; email: string };
}

export type TKnownWorkflowKey = 'applied' | 'reviewing' | 'certified' | 'awaiting' | 'live' | 'approval';
export const PARTNER_KEYS = ['applied', 'reviewing', 'certified'] as const;
export const CONTRACT_KEYS = ['awaiting', 'live', 'approval'] as const;

/** Starts and drives the known workflows (about ten seconds with fake activities), then waits until they are idle. */
export async function startKnownWorkflows(context: TCpoContext, prefix: string): Promise<TKnownWorkflows> {
  const ids = {
    applied: uniqueId(`${prefix}-applied`),
    reviewing: uniqueId(`${prefix}-reviewing`),
    certified: uniqueId(`${prefix}-certified`),
    awaiting: uniqueId(`${prefix}-awaiting`),
    live: uniqueId(`${prefix}-live`),
    approval: uniqueId(`${prefix}-approval`),
  };
  const representativeOf = (partnerId: string) =>
    partnerApplication(partnerId).representative as { name: string; title: string; email: string };
  await Promise.all([
    applyPartner(context, partnerApplication(ids.applied)),
    applyPartner(context, partnerApplication(ids.reviewing)).then(() =>
      startPartnerReview(context, ids.reviewing, { reviewer: CPO_OFFICE }),
    ),
    readyPartner(context, ids.certified),
  ]);
  await eventually(async () => (await getPartnerStatus(context, ids.applied)).attestationRequests[0]);

  await startContract(context, contractRequest(ids.awaiting, ids.certified));
  await startContract(context, contractRequest(ids.live, ids.certified, { goLiveDate: new Date().toISOString() }));
  const seattle = loadPolicy('policies/seattle.json');
  const approver = seattle.offices.scp_office!;
  await startContract(
    { ...context, policy: seattle },
    contractRequest(ids.approval, ids.certified, {
      route: 'alignment_agreement',
      schools: ['Garfield High School'],
      ...termDates(currentTerm(seattle)),
    }),
  );
  const partnerSigner = { name: representativeOf(ids.certified).name, email: representativeOf(ids.certified).email };
  await signWhenAsked(context, ids.live, 'partner', partnerSigner);
  await signWhenAsked(context, ids.live, 'district', CPO_OFFICE);
  await Promise.all([waitForStage(context, ids.live, 'live'), waitForStage(context, ids.awaiting, 'awaiting_partner_signature')]);
  await eventually(async () => (await getContractStatus(context, ids.live)).history.some((entry) => entry.event === 'live_notice_sent'));
  const known: TKnownWorkflows = { ...ids, approverEmail: approver.email, representativeOf };
  await Promise.all(knownHandles(context, known).map(({ handle }) => waitUntilIdle(handle)));
  return known;
}

export interface TKnownHandle {
  key: TKnownWorkflowKey;
  kind: 'partner' | 'contract';
  handle: WorkflowHandle;
}

export function knownHandles(context: TCpoContext, known: TKnownWorkflows): TKnownHandle[] {
  return [
    ...PARTNER_KEYS.map((key) => ({
      key,
      kind: 'partner' as const,
      handle: context.client.workflow.getHandle(partnerWorkflowId(known[key])),
    })),
    ...CONTRACT_KEYS.map((key) => ({
      key,
      kind: 'contract' as const,
      handle: context.client.workflow.getHandle(contractWorkflowId(known[key])),
    })),
  ];
}

/** Waits until the workflow has no task or activity pending and its history stays the same for a moment. */
export async function waitUntilIdle(handle: WorkflowHandle, quietMs = 400): Promise<void> {
  let last = -1;
  await eventually(async () => {
    const { raw } = await handle.describe();
    const length = ((await handle.fetchHistory()).events ?? []).length;
    const idle = length === last && !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
    last = length;
    if (!idle) await new Promise((resolve) => setTimeout(resolve, quietMs));
    return idle;
  }, 30_000);
}

export interface TWorkflowSnapshot {
  key: string;
  historyLength: number;
  executionStatus: string;
  /** The status query's answer, as JSON. */
  status: string;
  acceptedUpdates: number;
  failedTasks: number;
}

/** What must not change when bad input is refused: history, execution status, the status query, accepted updates. */
export async function snapshot({ key, kind, handle }: TKnownHandle): Promise<TWorkflowSnapshot> {
  const [description, history, status] = await Promise.all([
    handle.describe(),
    handle.fetchHistory(),
    kind === 'partner' ? handle.query(getPartnerStatusQuery) : handle.query(getContractStatusQuery),
  ]);
  const events = history.events ?? [];
  return {
    key,
    historyLength: events.length,
    executionStatus: description.status.name,
    status: JSON.stringify(status),
    acceptedUpdates: events.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length,
    failedTasks: events.filter((event) => event.workflowTaskFailedEventAttributes).length,
  };
}

export const snapshotAll = (handles: TKnownHandle[]): Promise<TWorkflowSnapshot[]> => Promise.all(handles.map(snapshot));

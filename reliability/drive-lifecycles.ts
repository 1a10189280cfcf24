// Drives partners and contracts through the real client calls, waits for them, and checks what the faults could
// have broken: a stage not reached, a signature recorded twice or not at all, an email lost or sent twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TCpoContext } from '../client/context';
import { getContractStatus, startContract } from '../client/contracts';
import { CpoUnavailableError } from '../client/errors';
import { applyPartner, certifyPartner, getPartnerStatus, signAttestation, startPartnerReview } from '../client/partners';
import { signContractUpdate } from '../domain/messages';
import { currentYearTerm } from '../domain/plan-term';
import { checklistMeeting } from '../domain/schemas/partner';
import { CERTIFICATION_CRITERIA, contractWorkflowId, partnerWorkflowId } from '../domain/vocabulary';
import type { TCaughtMail } from '../scripts/smtp-catcher';
import { waitFor } from './wait-for-progress';

const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };
const representativeOf = (partnerId: string) => ({ name: 'Lan Nguyễn', title: 'Executive Director', email: `lan@${partnerId}.example` });
/** One of the pipeline's own X- headers, which it always writes as plain text. */
const ownHeader = (mail: TCaughtMail, name: string): string => {
  const value = mail.parsed.headers.get(name);
  return typeof value === 'string' ? value : '';
};

/**
 * What a person does when told "try again": asks again, for up to a minute. Just after a worker is killed, a query
 * for a workflow it ran waits for the dead worker's sticky queue to time out before another worker answers it.
 */
async function askAgainWhileUnavailable<T>(ask: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      if (!(error instanceof CpoUnavailableError) || Date.now() > deadline) throw error;
      await sleep(1_000);
    }
  }
}

/** Partners certified with their attestation on file, so their contracts go straight to signature. */
export async function setUpPartners(context: TCpoContext, runId: string, count: number): Promise<string[]> {
  const partnerIds = Array.from({ length: count }, (_, i) => `${runId}-partner-${i + 1}`);
  await Promise.all(
    partnerIds.map(async (partnerId, i) => {
      await certifyNewPartner(context, partnerId, `Reliability Partner ${i + 1}`);
      await signAttestationWhenRequested(context, partnerId);
    }),
  );
  return partnerIds;
}

/** Applies, reviews and certifies; the agency then makes its attestation form and emails it. */
export async function certifyNewPartner(context: TCpoContext, partnerId: string, organizationName: string): Promise<void> {
  await applyPartner(context, {
    partnerId,
    organizationName,
    representative: representativeOf(partnerId),
    services: ['literacy_tutoring'],
  });
  await startPartnerReview(context, partnerId, { reviewer });
  await certifyPartner(context, partnerId, { reviewer, checklist: checklistMeeting(CERTIFICATION_CRITERIA) });
}

/** The representative signs the attestation once the agency has made its form. */
export async function signAttestationWhenRequested(context: TCpoContext, partnerId: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${partnerId}'s attestation request`,
    async () => (await getPartnerStatus(context, partnerId)).attestationRequests.length > 0,
    {
      timeoutMs,
      pollMs: 200,
    },
  );
  await signAttestation(context, partnerId, { ...representativeOf(partnerId), consent: true });
}

/**
 * Starts the contracts, a few at a time, through the client call the CLI and API use. A start interrupted by a
 * fault is tried again; a workflow that exists already counts as started, so none starts twice.
 */
export async function startContracts(context: TCpoContext, runId: string, partnerIds: string[], count: number): Promise<string[]> {
  const contractIds = Array.from({ length: count }, (_, i) => `${runId}-contract-${i + 1}`);
  const term = currentYearTerm(context.now(), context.policy);
  const dates = { startDate: term.startDate, endDate: term.endDate, goLiveDate: term.startDate };
  const inFlight = 16;
  let next = 0;
  const startOne = async (contractId: string, partnerId: string): Promise<void> => {
    for (;;) {
      try {
        await startContract(context, {
          contractId,
          partnerId,
          programName: `Reading circles ${contractId}`,
          services: ['literacy_tutoring'],
          schools: ['Anwatin Middle'],
          route: 'zero_dollar',
          category: 'contracted_partner',
          amountCents: 0,
          // The whole current school year: valid on any day, and live as soon as it is signed.
          ...dates,
          initiatedBy: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' },
          partnerSigner: { ...representativeOf(partnerId) },
        });
        return;
      } catch (error) {
        const exists = await context.client.workflow
          .getHandle(contractWorkflowId(contractId))
          .describe()
          .then(
            () => true,
            () => false,
          );
        if (exists) return;
        if (!isTransient(error)) throw error;
        await sleep(1_000);
      }
    }
  };
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < contractIds.length) {
        const index = next++;
        await startOne(contractIds[index]!, partnerIds[index % partnerIds.length]!);
      }
    }),
  );
  return contractIds;
}

/** Refusals and bad input are the scenario's own bugs; anything else may be a part that is down. */
const isTransient = (error: unknown): boolean => !/^(Refused|Invalid)/.test((error as Error).message ?? '');

/** What every scenario is given: the load, how long it may take, where its progress lines go. */
export interface TScenarioOptions {
  contracts: number;
  partners: number;
  timeoutMs: number;
  log?: (line: string) => void;
}

export interface TLifecycleReport {
  contracts: number;
  live: number;
  /** Contracts whose partner and district signatures are not each recorded exactly once. */
  signatureProblems: string[];
  /** Accepted signContract updates over all contracts' histories (2 per contract expected). */
  signatureUpdatesAccepted: number;
  emailsReceived: number;
  /** Emails the workflows recorded as sent (sendNotification results in their histories). */
  emailsRecordedSent: number;
  /** Recorded as sent but never received by the SMTP server. */
  emailsLost: string[];
  /** Distinct worker processes (identity pid@host) that ran the contracts' workflow or activity tasks. */
  workerIdentities: number;
  /** Message-IDs received more than once, with the number of copies. */
  duplicateEmails: { messageId: string; copies: number; kind: string; about: string; to: string }[];
}

/**
 * Reads every contract's status and history and the SMTP server's messages, once no workflow has an activity or a
 * workflow task left to run (a contract is `live` just before its "now live" email goes out).
 */
export async function verifyLifecycles(
  context: TCpoContext,
  contractIds: string[],
  partnerIds: string[],
  messages: readonly TCaughtMail[],
): Promise<TLifecycleReport> {
  const workflowIds = [...contractIds.map(contractWorkflowId), ...partnerIds.map(partnerWorkflowId)];
  await waitFor(
    'every workflow to finish its activities',
    async () => {
      // Between two activities (a sealed PDF, then its email) none is pending but a workflow task is.
      const busy = await Promise.all(
        workflowIds.map(async (id) => {
          const { raw } = await context.client.workflow.getHandle(id).describe();
          return (raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask != null;
        }),
      );
      return busy.every((isBusy) => !isBusy);
    },
    { timeoutMs: 120_000, pollMs: 1_000 },
  );
  const signatureProblems: string[] = [];
  const sentMessageIds = new Set<string>();
  let live = 0;
  let signatureUpdatesAccepted = 0;
  const identities = new Set<string>();
  for (const contractId of contractIds) {
    const status = await askAgainWhileUnavailable(() => getContractStatus(context, contractId));
    if (status.stage === 'live') live += 1;
    const roles = status.signatures.map((s) => s.role).sort();
    if (roles.join(',') !== 'district,partner') signatureProblems.push(`${contractId}: signatures recorded ${roles.join(',') || 'none'}`);
    const history = await readHistory(context, contractWorkflowId(contractId));
    signatureUpdatesAccepted += history.updatesAccepted.filter((name) => name === signContractUpdate.name).length;
    history.sentMessageIds.forEach((id) => sentMessageIds.add(id));
    history.identities.forEach((identity) => identities.add(identity));
  }
  for (const partnerId of partnerIds) {
    (await readHistory(context, partnerWorkflowId(partnerId))).sentMessageIds.forEach((id) => sentMessageIds.add(id));
  }
  const copies = new Map<string, TCaughtMail[]>();
  for (const mail of messages) {
    const id = mail.parsed.messageId ?? '';
    copies.set(id, [...(copies.get(id) ?? []), mail]);
  }
  return {
    contracts: contractIds.length,
    live,
    signatureProblems,
    signatureUpdatesAccepted,
    emailsReceived: messages.length,
    emailsRecordedSent: sentMessageIds.size,
    emailsLost: [...sentMessageIds].filter((id) => !copies.has(id)),
    workerIdentities: identities.size,
    duplicateEmails: [...copies]
      .filter(([, received]) => received.length > 1)
      .map(([messageId, received]) => ({
        messageId,
        copies: received.length,
        kind: ownHeader(received[0]!, 'x-cpo-notification'),
        about: ownHeader(received[0]!, 'x-cpo-contract') || ownHeader(received[0]!, 'x-cpo-partner'),
        to: received[0]!.envelopeTo.join(', '),
      })),
  };
}

/**
 * The names of accepted updates, the Message-IDs of the emails the workflow's activities reported sent, and the
 * workers that completed its workflow tasks or started its activities.
 */
async function readHistory(
  context: TCpoContext,
  workflowId: string,
): Promise<{ updatesAccepted: string[]; sentMessageIds: string[]; identities: string[] }> {
  const history = await context.client.workflow.getHandle(workflowId).fetchHistory();
  const updatesAccepted: string[] = [];
  const sentMessageIds: string[] = [];
  const identities: string[] = [];
  for (const event of history.events ?? []) {
    const identity = event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
    if (identity) identities.push(identity);
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    if (accepted) updatesAccepted.push(accepted);
    const result = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    if (result) {
      const value = defaultPayloadConverter.fromPayload<{ messageId?: unknown }>(result);
      if (value && typeof value.messageId === 'string') sentMessageIds.push(value.messageId);
    }
  }
  return { updatesAccepted, sentMessageIds, identities };
}

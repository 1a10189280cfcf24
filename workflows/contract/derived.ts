import { contractWaitsFor, deriveContractStatus } from '../../domain/derive-contract-status';
import type { TAmendment, TContractStatus } from '../../domain/schemas/contract';
import type { TContractSummary } from '../../domain/schemas/notification';
import type { TSignerRole } from '../../domain/vocabulary';
import type { TContractRun, TSigningSubject } from './contract-run';

// What follows from the contract's state, each derived here once.

/** A closed contract (expired, declined, voided, terminated) takes no more steps; its reason is on record. */
export const isClosed = ({ state }: TContractRun): boolean => state.closedReason !== null;

/** The amendment being drafted or signed, if any. */
export const openAmendment = ({ state }: TContractRun): TAmendment | undefined =>
  state.amendments.find((a) => a.status !== 'executed' && a.status !== 'declined' && a.status !== 'expired');

/** The deadline of the approval or signature request out now: when the contract (or its amendment) expires unanswered. */
export function nextDeadline(run: TContractRun): string | null {
  if (isClosed(run)) return null;
  const { signingNow, state } = run;
  if (signingNow) return !signingNow.subject.amendment || signingNow.subject.amendment === openAmendment(run) ? signingNow.deadline : null;
  return state.approval?.deadline && !state.approval.approvedBy ? state.approval.deadline : null;
}

/** For the dashboard's search attribute: when the contract next moves by itself (expiry of a request, go-live, end). */
export function movesByItselfAt(run: TContractRun): Date | null {
  if (run.state.stage === 'executed') return new Date(run.goLiveMs);
  if (run.state.stage === 'live') return new Date(run.endMs);
  const deadline = nextDeadline(run);
  return deadline ? new Date(deadline) : null;
}

/** What the contract waits for before it can go to signature (approval, certification, agency records). */
export const waitingFor = ({ state, policy, request, schoolYear }: TContractRun): string[] =>
  contractWaitsFor(state, policy, request, schoolYear.name);

export const signerFor = ({ request, districtSigner }: TContractRun, role: TSignerRole) =>
  role === 'partner' ? request.partnerSigner : districtSigner;

/** Who is asked to sign now, if anyone. */
export const awaitedSigner = (run: TContractRun): { role: TSignerRole; name: string; email: string } | null =>
  run.signingNow ? { role: run.signingNow.role, ...signerFor(run, run.signingNow.role) } : null;

export const amendmentNumberOf = (subject: TSigningSubject | undefined) => subject?.amendment?.number;

export const hasSigned = ({ state }: TContractRun, role: TSignerRole, subject?: TSigningSubject): boolean =>
  state.signatures.some((s) => s.role === role && s.amendmentNumber === amendmentNumberOf(subject));

/** The status, with why a program may not start now derived at the moment of asking. */
export function statusOf(run: TContractRun): TContractStatus {
  const { state, signingNow } = run;
  return deriveContractStatus(state, {
    nextDeadline: nextDeadline(run),
    waitingFor: waitingFor(run),
    signing: signingNow
      ? {
          role: signingNow.role,
          ...signerFor(run, signingNow.role),
          requestNumber: state.requestNumber,
          document: signingNow.subject.document,
          amendmentNumber: amendmentNumberOf(signingNow.subject) ?? null,
        }
      : null,
  });
}

/** The contract as emails and documents describe it: the current schools, the terms as initiated. */
export function summaryOf({ state, policy, route, schoolYear }: TContractRun): TContractSummary {
  const { request } = state;
  return {
    contractId: request.contractId,
    programName: request.programName,
    organizationName: state.partner?.organizationName ?? request.partnerId,
    schools: request.schools,
    routeLabel: route.label,
    amountCents: request.amountCents,
    startDate: request.startDate,
    endDate: request.endDate,
    district: policy.district,
    documentTitle: route.documentTitle,
    schoolYear: schoolYear.name,
  };
}

/** The partner signer, the district signer and the initiator, each once. */
export const everyone = ({ request, districtSigner }: TContractRun): string[] =>
  unique([request.partnerSigner.email, districtSigner.email, request.initiatedBy.email]);

export const unique = (emails: (string | undefined)[]): string[] => [
  ...new Set(emails.filter((e): e is string => Boolean(e)).map((e) => e.toLowerCase())),
];

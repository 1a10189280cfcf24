import type { TPipelineBoard } from '../search/pipeline-board';
import type { TContractStatus } from '../../domain/schemas/contract';
import type { THistoryEntry } from '../../domain/schemas/common';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import { formatInstant } from '../../domain/format-instant';
import { describeDelay, type TWaitingOn } from '../activity-delays';
import type { TWorkflowListing } from '../list-workflows';

const money = (cents: number): string => `$${(cents / 100).toFixed(2)}`;

function timeline(history: THistoryEntry[], timeZone: string): string {
  return history
    .map(
      (h) =>
        `  ${formatInstant(h.at, timeZone)}  ${h.event.padEnd(28)} ${h.stage.padEnd(28)} ${[h.actor, h.detail].filter(Boolean).join(' · ')}`,
    )
    .join('\n');
}

const delayLines = (status: Partial<TWaitingOn>, timeZone: string): string[] => [
  ...(status.waitingOnEmail ? [`  EMAIL:          ${describeDelay('waitingOnEmail', status.waitingOnEmail, timeZone)}`] : []),
  ...(status.waitingOnStorage ? [`  DOCUMENTS:      ${describeDelay('waitingOnStorage', status.waitingOnStorage, timeZone)}`] : []),
];

function attestationLine(status: TPartnerStatus, schoolYear: string, timeZone: string): string {
  const signed = status.attestations.find((a) => a.schoolYear === schoolYear);
  return `${schoolYear} ${signed ? `signed ${formatInstant(signed.signedAt, timeZone)} by ${signed.signedBy.name}` : 'awaiting signature'}`;
}

/** Times in `timeZone`, the district's, with its abbreviation. */
export function renderPartner(status: TPartnerStatus & Partial<TWaitingOn>, timeZone: string): string {
  return [
    `Partner ${status.partnerId}: ${status.organizationName}`,
    `  stage:          ${status.stage}`,
    `  representative: ${status.representative.name}, ${status.representative.title} <${status.representative.email}>`,
    `  services:       ${status.services.join(', ')}`,
    `  certified:      ${status.certification ? `${formatInstant(status.certification.at, timeZone)} by ${status.certification.by}` : 'no'}`,
    `  categories:     ${status.categories.join(', ')}`,
    `  attestations:   ${status.attestationRequests.map((r) => attestationLine(status, r.schoolYear, timeZone)).join('; ') || 'not requested yet'}`,
    `  records:        ${status.records.map((r) => `${r.kind}${r.schoolYear ? ` ${r.schoolYear}` : ''} (${r.by})`).join('; ') || 'none'}`,
    ...(status.endedReason ? [`  ended:          ${status.endedReason}`] : []),
    ...delayLines(status, timeZone),
    `  contracts:      ${status.contracts.length ? status.contracts.join(', ') : 'none'}`,
    'History:',
    timeline(status.history, timeZone),
  ].join('\n');
}

export function renderContract(status: TContractStatus & Partial<TWaitingOn>, timeZone: string): string {
  const { request } = status;
  return [
    `Contract ${status.contractId}: ${request.programName}`,
    `  stage:          ${status.stage}${status.closedReason ? ` (${status.closedReason})` : ''}`,
    `  partner:        ${status.partner?.organizationName ?? request.partnerId} (${request.partnerId})`,
    `  route:          ${status.routeLabel} [${request.route}], policy ${status.policyId} ${status.policyVersion}`,
    `  schools:        ${request.schools.join('; ')}`,
    `  amount:         ${money(request.amountCents)}`,
    `  term:           ${request.startDate} to ${request.endDate}, go-live ${formatInstant(status.goLiveAt, timeZone)}`,
    `  countersigner:  ${status.districtSigner.name} (${status.districtSigner.office}) <${status.districtSigner.email}>`,
    `  next deadline:  ${status.nextDeadline ? formatInstant(status.nextDeadline, timeZone) : 'none'}`,
    `  program start:  ${status.programStartBlockedReason ? `blocked: ${status.programStartBlockedReason}` : 'allowed'}`,
    ...(status.attention ? [`  ATTENTION:      ${status.attention}`] : []),
    ...delayLines(status, timeZone),
    `  documents:      ${
      [status.documents.contract, status.documents.executed]
        .filter(Boolean)
        .map((d) => `${d!.filename} (sha256 ${d!.sha256.slice(0, 12)}…)`)
        .join(', ') || 'none yet'
    }`,
    ...status.signatures.map(
      (s) => `  signed (${s.role}): ${s.name} <${s.email}> at ${formatInstant(s.signedAt, timeZone, { seconds: true })} by ${s.method}`,
    ),
    'History:',
    timeline(status.history, timeZone),
  ].join('\n');
}

export function renderListing(rows: TWorkflowListing[]): string {
  if (rows.length === 0) return 'Nothing found.';
  return rows.map((r) => `${r.kind.padEnd(9)} ${r.id.padEnd(32)} ${(r.stage ?? '?').padEnd(28)} ${r.status}`).join('\n');
}

export function renderBoard(board: TPipelineBoard, timeZone: string): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([stage, count]) => `  ${stage.padEnd(30)} ${count}`)
      .join('\n');
  return [
    'Needs attention:',
    counts(board.attention),
    'Contracts by stage:',
    counts(board.contracts),
    'Partners by stage:',
    counts(board.partners),
    `Counted at ${formatInstant(board.countedAt, timeZone)}`,
  ].join('\n');
}

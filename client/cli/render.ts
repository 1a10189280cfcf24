import type { TPipelineBoard } from '../search/pipeline-board';
import type { TContractStatus } from '../../domain/schemas/contract';
import type { THistoryEntry } from '../../domain/schemas/common';
import type { TPartnerStatus } from '../../domain/schemas/partner';
import { describeDelay, type TWaitingOn } from '../activity-delays';
import type { TWorkflowListing } from '../list-workflows';

const money = (cents: number): string => `$${(cents / 100).toFixed(2)}`;

function timeline(history: THistoryEntry[]): string {
  return history
    .map((h) => `  ${h.at}  ${h.event.padEnd(28)} ${h.stage.padEnd(28)} ${[h.actor, h.detail].filter(Boolean).join(' · ')}`)
    .join('\n');
}

const delayLines = (status: Partial<TWaitingOn>): string[] => [
  ...(status.waitingOnEmail ? [`  EMAIL:          ${describeDelay('waitingOnEmail', status.waitingOnEmail)}`] : []),
  ...(status.waitingOnStorage ? [`  DOCUMENTS:      ${describeDelay('waitingOnStorage', status.waitingOnStorage)}`] : []),
];

function attestationLine(status: TPartnerStatus, schoolYear: string): string {
  const signed = status.attestations.find((a) => a.schoolYear === schoolYear);
  return `${schoolYear} ${signed ? `signed ${signed.signedAt} by ${signed.signedBy.name}` : 'awaiting signature'}`;
}

export function renderPartner(status: TPartnerStatus & Partial<TWaitingOn>): string {
  return [
    `Partner ${status.partnerId}: ${status.organizationName}`,
    `  stage:          ${status.stage}`,
    `  representative: ${status.representative.name}, ${status.representative.title} <${status.representative.email}>`,
    `  services:       ${status.services.join(', ')}`,
    `  certified:      ${status.certification ? `${status.certification.at} by ${status.certification.by}` : 'no'}`,
    `  categories:     ${status.categories.join(', ')}`,
    `  attestations:   ${status.attestationRequests.map((r) => attestationLine(status, r.schoolYear)).join('; ') || 'not requested yet'}`,
    `  records:        ${status.records.map((r) => `${r.kind}${r.schoolYear ? ` ${r.schoolYear}` : ''} (${r.by})`).join('; ') || 'none'}`,
    ...(status.endedReason ? [`  ended:          ${status.endedReason}`] : []),
    ...delayLines(status),
    `  contracts:      ${status.contracts.length ? status.contracts.join(', ') : 'none'}`,
    'History:',
    timeline(status.history),
  ].join('\n');
}

export function renderContract(status: TContractStatus & Partial<TWaitingOn>): string {
  const { request } = status;
  return [
    `Contract ${status.contractId}: ${request.programName}`,
    `  stage:          ${status.stage}${status.closedReason ? ` (${status.closedReason})` : ''}`,
    `  partner:        ${status.partner?.organizationName ?? request.partnerId} (${request.partnerId})`,
    `  route:          ${status.routeLabel} [${request.route}], policy ${status.policyId} ${status.policyVersion}`,
    `  schools:        ${request.schools.join('; ')}`,
    `  amount:         ${money(request.amountCents)}`,
    `  term:           ${request.startDate} to ${request.endDate}, go-live ${status.goLiveAt}`,
    `  countersigner:  ${status.districtSigner.name} (${status.districtSigner.office}) <${status.districtSigner.email}>`,
    `  next deadline:  ${status.nextDeadline ?? 'none'}`,
    `  program start:  ${status.programStartBlockedReason ? `blocked: ${status.programStartBlockedReason}` : 'allowed'}`,
    ...(status.attention ? [`  ATTENTION:      ${status.attention}`] : []),
    ...delayLines(status),
    `  documents:      ${[status.documents.contract, status.documents.executed].filter(Boolean).map((d) => `${d!.filename} (sha256 ${d!.sha256.slice(0, 12)}…)`).join(', ') || 'none yet'}`,
    ...status.signatures.map((s) => `  signed (${s.role}): ${s.name} <${s.email}> at ${s.signedAt} by ${s.method}`),
    'History:',
    timeline(status.history),
  ].join('\n');
}

export function renderListing(rows: TWorkflowListing[]): string {
  if (rows.length === 0) return 'Nothing found.';
  return rows.map((r) => `${r.kind.padEnd(9)} ${r.id.padEnd(32)} ${(r.stage ?? '?').padEnd(28)} ${r.status}`).join('\n');
}

export function renderBoard(board: TPipelineBoard): string {
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
    `Counted at ${board.countedAt}`,
  ].join('\n');
}

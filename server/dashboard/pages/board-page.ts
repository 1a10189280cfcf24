import type { TPipelineBoard } from '../../../client/search/pipeline-board';
import type { TContractListing } from '../../../client/search/search-contracts';
import { CLOSED_CONTRACT_STAGES, OPEN_CONTRACT_STAGES, PARTNER_STAGES, SERVICE_TYPES } from '../../../domain/vocabulary';
import type { TBoardFilter } from '../../../client/search/pipeline-board';
import { contractRows, CONTRACT_HEADERS } from './contract-rows';
import { formatWhen, h, options, queryString, schoolFilter, serviceLabel, stageLabel, table } from './components';

export interface TBoardView {
  board: TPipelineBoard;
  overdue: TContractListing[];
  expiring: TContractListing[];
  blocked: TContractListing[];
  timeZone: string;
  /** The policy's school list, offered in the school filter. */
  schools: readonly string[];
}

const tile = (count: number, label: string, href: string, alert = false): string =>
  `<a class="tile${alert && count > 0 ? ' alert' : ''}" href="${href}"><span class="count">${count}</span><span class="label">${h(label)}</span></a>`;

export function boardPage(view: TBoardView): string {
  const { board } = view;
  const scope = board.filter;
  const contractsLink = (params: Record<string, string>) => `/dashboard/contracts${queryString({ ...scope, ...params })}`;
  const attention = `<div class="tiles">
${tile(board.attention.overdue_signatures, 'Overdue signatures', contractsLink({ view: 'overdue_signatures' }), true)}
${tile(board.attention.blocked, 'Programs blocked from starting', contractsLink({ view: 'blocked' }), true)}
${tile(board.attention.expiring, 'Contracts ending within 30 days', contractsLink({ view: 'expiring' }), true)}
</div>`;
  const stageTiles = (stages: readonly string[], counts: Record<string, number>, base: 'contracts' | 'partners') =>
    `<div class="tiles" data-board="${base}">${stages
      .map((stage) =>
        tile(
          counts[stage] ?? 0,
          stageLabel(stage),
          base === 'contracts' ? contractsLink({ stage }) : `/dashboard/partners${queryString({ stage, text: scope.text })}`,
        ),
      )
      .join('')}</div>`;
  const list = (title: string, rows: TContractListing[], empty: string, more: string) =>
    `<h2>${h(title)}</h2>${table(CONTRACT_HEADERS, contractRows(rows, view.timeZone), empty)}${rows.length >= 10 ? `<p class="pager"><a href="${more}">See all</a></p>` : ''}`;
  return `<h1>Pipeline</h1>
${boardFilters(board.filter, view.schools)}
<section aria-label="Needs attention">${attention}</section>
<h2>Contracts by stage</h2>
${stageTiles(OPEN_CONTRACT_STAGES, board.contracts, 'contracts')}
<details><summary class="muted">Closed contracts</summary>${stageTiles(CLOSED_CONTRACT_STAGES, board.contracts, 'contracts')}</details>
<h2>Partners by stage</h2>
${board.filter.school || board.filter.route || board.filter.category || board.filter.schoolYear ? '<p class="muted">Partners are counted by name and service only: an agency is not tied to one school, route or year.</p>' : ''}
${stageTiles(PARTNER_STAGES, board.partners, 'partners')}
${list('Programs blocked from starting', view.blocked, 'No program due to start in the next 30 days is waiting for its contract.', contractsLink({ view: 'blocked' }))}
${list('Overdue signatures', view.overdue, 'No signature request has gone unanswered past its reminder period.', contractsLink({ view: 'overdue_signatures' }))}
${list('Contracts ending soon', view.expiring, 'No live contract ends in the next 30 days.', contractsLink({ view: 'expiring' }))}
<p class="muted">Counted ${formatWhen(board.countedAt, view.timeZone)} from Temporal's visibility store.</p>`;
}

function boardFilters(filter: TBoardFilter, schools: readonly string[]): string {
  return `<form class="filters" method="get" action="/dashboard" role="search">
${schoolFilter(filter.school, schools)}
<label>Service<select name="service">${options(SERVICE_TYPES, filter.service, serviceLabel, 'Any service')}</select></label>
<label>School year<input type="text" name="schoolYear" value="${h(filter.schoolYear ?? '')}" placeholder="2026-2027" size="10"></label>
<label>Partner<input type="search" name="text" value="${h(filter.text ?? '')}" placeholder="words of the name"></label>
<button type="submit">Show</button> <a href="/dashboard">Whole district</a>
</form>`;
}

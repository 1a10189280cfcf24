import { CONTRACT_VIEWS, type TContractListing, type TContractSearch } from '../../../client/search/search-contracts';
import type { TPolicy } from '../../../domain/policy';
import { CONTRACT_STAGES, PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../../domain/vocabulary';
import { categoryLabel, h, options, queryString, schoolFilter, serviceLabel, stageLabel, table } from './components';
import { contractRows, CONTRACT_HEADERS } from './contract-rows';

const VIEW_LABELS: Record<(typeof CONTRACT_VIEWS)[number], string> = {
  all: 'All contracts',
  open: 'Open contracts',
  overdue_signatures: 'Overdue signatures',
  expiring: 'Ending within 30 days',
  blocked: 'Programs blocked from starting',
};

export function contractsPage(view: {
  search: TContractSearch;
  contracts: TContractListing[];
  nextPageToken: string | null;
  policy: TPolicy;
}): string {
  const { search, policy } = view;
  const routes = Object.keys(policy.routes);
  const filters = `<form class="filters" method="get" action="/dashboard/contracts" role="search">
<label>List<select name="view">${options(CONTRACT_VIEWS, search.view, (v) => VIEW_LABELS[v as keyof typeof VIEW_LABELS], null)}</select></label>
<label>Stage<select name="stage">${options(CONTRACT_STAGES, search.stage, stageLabel, 'Any stage')}</select></label>
${schoolFilter(search.school, policy.schools ?? [])}
<label>Service<select name="service">${options(SERVICE_TYPES, search.service, serviceLabel, 'Any service')}</select></label>
<label>Route<select name="route">${options(routes, search.route, (r) => policy.routes[r]?.label ?? r, 'Any route')}</select></label>
<label>Category<select name="category">${options(PARTNERSHIP_CATEGORIES, search.category, categoryLabel, 'Any category')}</select></label>
<label>Partner<input type="search" name="text" value="${h(search.text ?? '')}" placeholder="words of the name"></label>
<button type="submit">Filter</button> <a href="/dashboard/contracts">Clear</a>
</form>`;
  const { pageToken: _page, pageSize: _size, ...kept } = search;
  const next = view.nextPageToken
    ? `<p class="pager"><a href="/dashboard/contracts${queryString({ ...kept, pageToken: view.nextPageToken })}">Next page</a></p>`
    : '';
  return `<h1>${h(VIEW_LABELS[search.view])}</h1>${filters}
${table(CONTRACT_HEADERS, contractRows(view.contracts, policy.timeZone), 'No contract matches these filters.')}${next}`;
}

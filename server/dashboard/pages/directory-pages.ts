import type { TDirectorySearch } from '../../../client/search/partnership-directory';
import type { TDirectoryReading } from '../../../client/search/directory-reader';
import type { TDirectory } from '../../../client/search/summarize-directory';
import { PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../../domain/vocabulary';
import { categoryLabel, formatWhen, h, options, queryString, schoolFilter, serviceLabel, stageBadge, table } from './components';
import { renderDistributionChart } from './distribution-chart';

const schoolLink = (school: string): string => `<a href="/dashboard/directory/schools/${encodeURIComponent(school)}">${h(school)}</a>`;

/** A district-wide page must stay readable (and small) with thousands of programs: the first few, then a link. */
const SHOWN_PER_CELL = 6;
function capped(items: string[], moreHref: string, separator: string): string {
  const more = items.length - SHOWN_PER_CELL;
  return items.slice(0, SHOWN_PER_CELL).join(separator) + (more > 0 ? `${separator}<a href="${h(moreHref)}">and ${more} more</a>` : '');
}

const readAtNote = (directory: TDirectoryReading, timeZone: string): string =>
  `Read from Temporal ${formatWhen(directory.readAt, timeZone)} (read again after 30 seconds).`;

function partnerTable(directory: TDirectory): string {
  return table(
    ['Partner', 'Categories', 'Programs', 'Schools', 'Services'],
    directory.partners.map((partner) => [
      `<a href="/dashboard/partners/${h(partner.partnerId)}">${h(partner.organizationName)}</a>`,
      partner.categories.map((c) => h(categoryLabel(c))).join('<br>'),
      capped(
        partner.programs.map((p) => `<a href="/dashboard/contracts/${h(p.contractId)}">${h(p.programName)}</a> ${stageBadge(p.stage)}`),
        `/dashboard/contracts?view=open&partnerId=${encodeURIComponent(partner.partnerId)}`,
        '<br>',
      ),
      capped(partner.schools.map(schoolLink), `/dashboard/partners/${encodeURIComponent(partner.partnerId)}`, ', '),
      partner.services.map((s) => h(serviceLabel(s))).join(', '),
    ]),
    'No partnership matches this search.',
  );
}

export function directoryPage(view: {
  search: TDirectorySearch;
  directory: TDirectoryReading;
  timeZone: string;
  schools: readonly string[];
}): string {
  const { search, directory } = view;
  const exportQuery = queryString(search);
  return `<h1>Partnership directory</h1>
<p class="muted">Which organizations serve which schools, from every open contract. ${readAtNote(directory, view.timeZone)}</p>
<form class="filters" method="get" action="/dashboard/directory" role="search">
${schoolFilter(search.school, view.schools)}
<label>Service<select name="service">${options(SERVICE_TYPES, search.service, serviceLabel, 'Any service')}</select></label>
<label>Category<select name="category">${options(PARTNERSHIP_CATEGORIES, search.category, categoryLabel, 'Any category')}</select></label>
<label>Partner<input type="search" name="text" value="${h(search.text ?? '')}" placeholder="words of the name"></label>
<button type="submit">Search</button> <a href="/dashboard/directory">Clear</a>
</form>
<p><strong>${directory.totals.partners}</strong> partners · <strong>${directory.totals.programs}</strong> programs · <strong>${directory.totals.schools}</strong> schools ·
<a href="/api/directory.csv${exportQuery}" download>Export partnerships (CSV)</a> · <a href="/api/directory/distribution.csv${exportQuery}" download>Export distribution (CSV)</a></p>
<section class="card"><h2>Services across schools</h2>${directory.schools.length ? renderDistributionChart(directory.schools) : '<p class="empty">No school has a program that matches.</p>'}</section>
<h2>Partners</h2>
${partnerTable(directory)}
<h2>Schools</h2>
${table(
  ['School', 'Partners', 'Programs', 'Services offered'],
  directory.schools.map((school) => [
    schoolLink(school.school),
    String(school.partners),
    String(school.programs),
    SERVICE_TYPES.filter((s) => school.services[s] > 0)
      .map((s) => `${h(serviceLabel(s))} (${school.services[s]})`)
      .join(', '),
  ]),
  'No school has a program that matches.',
)}`;
}

export function schoolPage(view: { school: string; directory: TDirectoryReading; timeZone: string }): string {
  const summary = view.directory.schools[0];
  const offered = summary
    ? SERVICE_TYPES.filter((s) => summary.services[s] > 0)
        .map((s) => `${h(serviceLabel(s))} (${summary.services[s]})`)
        .join(', ')
    : '';
  const missing = summary
    ? SERVICE_TYPES.filter((s) => summary.services[s] === 0)
        .map((s) => h(serviceLabel(s)))
        .join(', ')
    : '';
  return `<p><a href="/dashboard/directory">← Partnership directory</a></p>
<h1>${h(view.school)}</h1>
<p class="muted">${readAtNote(view.directory, view.timeZone)}</p>
<p><strong>${summary?.partners ?? 0}</strong> partners · <strong>${summary?.programs ?? 0}</strong> programs ·
<a href="/api/directory.csv${queryString({ school: view.school })}" download>Export (CSV)</a></p>
<section class="card"><dl class="facts"><dt>Services offered</dt><dd>${offered || '—'}</dd><dt>No program yet for</dt><dd>${missing || '—'}</dd></dl></section>
${summary ? renderDistributionChart([summary]) : ''}
<h2>Partners and programs</h2>
${partnerTable(view.directory)}`;
}

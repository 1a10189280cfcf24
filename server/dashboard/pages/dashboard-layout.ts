import { escapeHtml as h } from '../../../domain/escape-html';
import { mayRecordProgramStarts, mayStartContracts, type TStaffAccess } from '../../../domain/staff-access';

export type TDashboardSection = 'board' | 'contracts' | 'new-contract' | 'partners' | 'schools' | 'directory';

/** Sections a role may not use are left out of its navigation (they would only answer 403). */
const SHOWN_TO: Partial<Record<TDashboardSection, (access: TStaffAccess) => boolean>> = {
  'new-contract': mayStartContracts,
  schools: mayRecordProgramStarts,
};

const SECTIONS: [TDashboardSection, string, string][] = [
  ['board', 'Pipeline', '/dashboard'],
  ['contracts', 'Contracts', '/dashboard/contracts'],
  ['new-contract', 'New contract', '/dashboard/new-contract'],
  ['partners', 'Partners', '/dashboard/partners'],
  ['schools', 'Program starts', '/dashboard/schools'],
  ['directory', 'Partnership directory', '/dashboard/directory'],
];

const STYLE = `
:root { --ink: #1b1b1f; --muted: #5b5b66; --line: #e2e4e9; --bg: #f6f7f9; --brand: #14532d; --good: #166534; --wait: #92400e; --bad: #991b1b; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: var(--brand); color: white; display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; flex-wrap: wrap; }
header.top strong { font-size: 1.05rem; }
header.top nav a { color: #dcfce7; text-decoration: none; margin-right: 1rem; padding-bottom: .2rem; }
header.top nav a.active { color: white; border-bottom: 2px solid white; }
header.top .who { margin-left: auto; font-size: .9rem; display: flex; gap: .75rem; align-items: center; }
header.top .who button { background: transparent; border: 1px solid #bbf7d0; color: white; padding: .2rem .7rem; }
main { max-width: 82rem; margin: 1.25rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.45rem; margin: 0 0 .75rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
a { color: #1d4ed8; }
.card { background: white; border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.25rem; margin-bottom: 1rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .75rem; }
.tile { background: white; border: 1px solid var(--line); border-radius: .6rem; padding: .75rem 1rem; text-decoration: none; color: inherit; display: block; }
.tile .count { font-size: 1.7rem; font-weight: 650; display: block; }
.tile .label { color: var(--muted); font-size: .85rem; }
.tile.alert { border-color: #fca5a5; background: #fff7f7; }
table { width: 100%; border-collapse: collapse; background: white; border: 1px solid var(--line); border-radius: .6rem; overflow: hidden; }
th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; font-size: .92rem; }
th { background: #f1f3f6; font-weight: 600; color: #374151; }
tr:last-child td { border-bottom: 0; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-size: .8rem; background: #e5e7eb; white-space: nowrap; }
.badge.good { background: #dcfce7; color: var(--good); }
.badge.wait { background: #fef3c7; color: var(--wait); }
.badge.bad { background: #fee2e2; color: var(--bad); }
.badge.closed { background: #e5e7eb; color: #4b5563; }
.muted, .empty { color: var(--muted); }
.filters { display: flex; flex-wrap: wrap; gap: .5rem .75rem; align-items: flex-end; background: white; border: 1px solid var(--line); border-radius: .6rem; padding: .75rem 1rem; margin-bottom: 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .15rem; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #cbd5e1; border-radius: .35rem; background: white; }
button { font: inherit; padding: .4rem 1rem; border-radius: .4rem; border: 0; background: var(--brand); color: white; cursor: pointer; }
button.danger { background: var(--bad); }
button.plain { background: #e5e7eb; color: var(--ink); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.grid2 { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; }
@media (max-width: 60rem) { .grid2 { grid-template-columns: 1fr; } }
.actions form { margin: 0 0 .75rem; display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.actions input[type=text] { flex: 1; min-width: 12rem; }
.actions textarea { flex: 1 1 100%; }
.actions fieldset { border: 1px solid var(--line); border-radius: .4rem; margin: 0; flex: 1 1 100%; }
.actions fieldset label { display: block; margin: .2rem 0; }
.notice { padding: .6rem .9rem; border-radius: .5rem; margin: 0 0 1rem; }
.notice.ok { background: #dcfce7; border: 1px solid #86efac; }
.notice.error { background: #fef2f2; border: 1px solid #fecaca; }
.blocked { color: var(--bad); }
ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 2px solid var(--line); }
ol.timeline li { padding: 0 0 .6rem 1rem; position: relative; }
ol.timeline li::before { content: ''; position: absolute; left: -6px; top: .45rem; width: 10px; height: 10px; border-radius: 50%; background: var(--brand); }
ol.timeline .when { color: var(--muted); font-size: .85rem; }
.chart text { fill: #374151; }
svg.chart { max-width: 48rem; height: auto; display: block; }
.pager { margin-top: .75rem; }
.login { max-width: 24rem; margin: 4rem auto; }
.login label { display: block; margin: .6rem 0; }
.login input { width: 100%; }
.live-status { font-size: .8rem; color: var(--muted); }
.new-contract .field { display: flex; flex-direction: column; gap: .2rem; margin: 0 0 .8rem; max-width: 40rem; }
.new-contract fieldset { border: 1px solid var(--line); border-radius: .4rem; margin: 0 0 .8rem; }
.new-contract fieldset.choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .1rem 1rem; max-height: 16rem; overflow: auto; }
.new-contract fieldset.choices legend, .new-contract fieldset.choices .field-error { grid-column: 1 / -1; }
.field-error { color: var(--bad); font-size: .9rem; }
.invalid input, .invalid select, .invalid textarea, fieldset.invalid { border-color: var(--bad); }
ul.routes li { margin: 0 0 .6rem; }
`;

/** Every dashboard page: navigation, the signed-in person, and `main` that the live script refreshes in place. */
export function dashboardPage(options: {
  title: string;
  section: TDashboardSection | null;
  /** The signed-in person; null on pages before sign-in (no navigation). */
  staff: { name: string; access: TStaffAccess } | null;
  body: string;
  /** false: no live refresh (a form being filled in must not be replaced). */
  live?: boolean;
}): string {
  const { staff } = options;
  const nav = staff
    ? `<nav>${SECTIONS.filter(([key]) => SHOWN_TO[key]?.(staff.access) ?? true)
        .map(
          ([key, label, href]) =>
            `<a href="${href}"${key === options.section ? ' class="active" aria-current="page"' : ''}>${h(label)}</a>`,
        )
        .join('')}</nav>
<div class="who"><span class="live-status" id="live-status"></span><span>${h(staff.name)}</span><form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form></div>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${h(options.title)} · Community Partnerships</title>
<style>${STYLE}</style>
${staff && options.live !== false ? '<script src="/dashboard/assets/live.js" defer></script>' : ''}
</head>
<body>
<header class="top"><strong>Community Partnerships Office</strong>${nav}</header>
<main id="live">${options.body}</main>
</body>
</html>`;
}

import { escapeHtml as h } from '../../../domain/escape-html';
import { SERVICE_LABELS } from '../../../domain/labels';
import { SERVICE_TYPES } from '../../../domain/vocabulary';
import type { TSchoolSummary } from '../../../client/search/summarize-directory';

/** One colour per service type, distinguishable for common colour-vision deficiencies (Okabe-Ito + two). */
export const SERVICE_COLOURS: Record<(typeof SERVICE_TYPES)[number], string> = {
  literacy_tutoring: '#0072B2',
  enrichment: '#E69F00',
  arts: '#CC79A7',
  leadership_mentorship: '#009E73',
  attendance_support: '#56B4E9',
  career_college_readiness: '#D55E00',
  health_mental_health: '#7A4EAB',
  social_emotional_learning: '#999933',
};

const ROW = 22;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 460;
const LEGEND_ROW = 20;

/**
 * Services across schools as horizontal stacked bars: one bar per school, one segment per service, with a
 * legend. An SVG string, so the page and the tests read the same picture.
 */
export function renderDistributionChart(schools: TSchoolSummary[], maxSchools = 60): string {
  const shown = [...schools].sort((a, b) => b.programs - a.programs || a.school.localeCompare(b.school)).slice(0, maxSchools);
  const widest = Math.max(1, ...shown.map((school) => SERVICE_TYPES.reduce((sum, s) => sum + school.services[s], 0)));
  const legendRows = Math.ceil(SERVICE_TYPES.length / 2);
  const height = shown.length * ROW + legendRows * LEGEND_ROW + 24;
  const width = LABEL_WIDTH + BAR_WIDTH + 50;
  const bars = shown.map((school, row) => {
    const y = row * ROW;
    let x = LABEL_WIDTH;
    const segments = SERVICE_TYPES.filter((service) => school.services[service] > 0).map((service) => {
      const w = (school.services[service] / widest) * BAR_WIDTH;
      const segment = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${SERVICE_COLOURS[service]}"><title>${h(school.school)}: ${h(SERVICE_LABELS[service])} — ${school.services[service]}</title></rect>`;
      x += w;
      return segment;
    });
    const total = SERVICE_TYPES.reduce((sum, s) => sum + school.services[s], 0);
    const label = school.school.length > 28 ? `${school.school.slice(0, 27)}…` : school.school;
    return `<g class="school" data-school="${h(school.school)}"><text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${h(label)}</text>${segments.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + ROW / 2 + 4}" class="total">${total}</text></g>`;
  });
  const legendTop = shown.length * ROW + 16;
  const legend = SERVICE_TYPES.map((service, i) => {
    const x = LABEL_WIDTH + (i % 2) * 240;
    const y = legendTop + Math.floor(i / 2) * LEGEND_ROW;
    return `<rect x="${x}" y="${y}" width="12" height="12" fill="${SERVICE_COLOURS[service]}"/><text x="${x + 18}" y="${y + 11}">${h(SERVICE_LABELS[service])}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="Programs by service type at each school" viewBox="0 0 ${width} ${height}" width="100%" font-family="system-ui, sans-serif" font-size="12">${bars.join('')}${legend.join('')}</svg>`;
}

import { CERTIFICATION_CRITERIA, PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../domain/vocabulary';
import { CATEGORY_LABELS, CRITERION_LABELS, SERVICE_LABELS } from '../../domain/labels';
import type { TFieldProblem } from '../../domain/format-zod-error';
import { escapeHtml, page } from '../pages/layout';

/** What the applicant typed, by form field name, to show again beside the errors. */
export type TApplyFormValues = Record<string, string | string[] | undefined>;

/** The honeypot: hidden from people (no script needed), filled by form-filling robots. */
export const HONEYPOT_FIELD = 'website';

const TEXT_FIELDS: { name: string; label: string; type?: string; hint?: string; long?: boolean }[] = [
  { name: 'organizationName', label: 'Organization name' },
  {
    name: 'representative.name',
    label: 'Representative’s full name',
    hint: 'The approved agency representative, who signs for the organization.',
  },
  { name: 'representative.title', label: 'Representative’s title' },
  {
    name: 'representative.email',
    label: 'Representative’s email',
    type: 'email',
    hint: 'We send a link to this address: the application counts once you follow it.',
  },
  { name: 'representative.phone', label: 'Representative’s phone', type: 'tel' },
  { name: 'interests', label: 'Schools or areas of interest', long: true },
  {
    name: 'programDescription',
    label: 'Short description of the program',
    long: true,
    hint: 'What you offer students, when and where (at most 2000 characters).',
  },
];

const CHOICES = [
  { name: 'services', legend: 'Services you provide', options: SERVICE_TYPES.map((v) => [v, SERVICE_LABELS[v]] as const) },
  { name: 'categories', legend: 'Kinds of partnership', options: PARTNERSHIP_CATEGORIES.map((v) => [v, CATEGORY_LABELS[v]] as const) },
  {
    name: 'criteriaAffirmed',
    legend: 'We affirm that these apply to us',
    options: CERTIFICATION_CRITERIA.map((v) => [v, CRITERION_LABELS[v]] as const),
  },
];

const listOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The problems of one field and of the fields under it ("representative" for a missing representative). */
const problemsOf = (problems: readonly TFieldProblem[], name: string): string[] =>
  problems
    .filter((p) => p.field === name || p.field.startsWith(`${name}.`) || (name.startsWith(`${p.field}.`) && !p.field.includes('.')))
    .map((p) => p.message);

const errorHtml = (messages: string[], id: string): string =>
  messages.length ? `<span class="field-error" id="${id}-error">${messages.map(escapeHtml).join('; ')}</span>` : '';

/** Seed 000's description of a Certified Community Partner and its criteria, then the application form. */
export function applyPage(district: string, values: TApplyFormValues = {}, problems: readonly TFieldProblem[] = []): string {
  const text = TEXT_FIELDS.map(({ name, label, type, hint, long }) => {
    const id = name.replace('.', '-');
    const value = escapeHtml(String(values[name] ?? ''));
    const described = problemsOf(problems, name).length ? ` aria-invalid="true" aria-describedby="${id}-error"` : '';
    const input = long
      ? `<textarea id="${id}" name="${name}" rows="4"${described}>${value}</textarea>`
      : `<input id="${id}" type="${type ?? 'text'}" name="${name}" value="${value}"${described}>`;
    return `<label for="${id}">${escapeHtml(label)}${hint ? ` <span class="muted">${escapeHtml(hint)}</span>` : ''}</label>${input}${errorHtml(problemsOf(problems, name), id)}`;
  }).join('\n');
  const choices = CHOICES.map(({ name, legend, options }) => {
    const chosen = listOf(values[name]);
    const boxes = options
      .map(
        ([value, label]) =>
          `<label><input type="checkbox" name="${name}" value="${value}"${chosen.includes(value) ? ' checked' : ''}> ${escapeHtml(label)}</label>`,
      )
      .join('');
    return `<fieldset><legend>${escapeHtml(legend)}</legend>${boxes}${errorHtml(problemsOf(problems, name), name)}</fieldset>`;
  }).join('\n');
  const summary = problems.length
    ? `<p class="notice error" role="alert">Please correct the fields marked below; nothing was sent yet.</p>`
    : '';
  return page(
    `Apply to become a Certified Community Partner — ${district}`,
    `<h1>Apply to become a Certified Community Partner</h1>
<p>${escapeHtml(district)} defines Certified Community Partners as external organizations or individuals that provide programs or services directly to students in collaboration with the district. If the following apply to you, you are likely a Certified Community Partner:</p>
<ul>${CERTIFICATION_CRITERIA.map((c) => `<li>${escapeHtml(CRITERION_LABELS[c])}</li>`).join('')}</ul>
<p>Certified Community Partners provide: ${SERVICE_TYPES.map((s) => escapeHtml(SERVICE_LABELS[s])).join('; ')}. Every partnership needs a signed contract before a program starts, also when no money changes hands.</p>
<p class="muted">Already a partner? <a href="/partner">Get the link to your organization’s page</a>.</p>
${summary}
<form method="post" action="/apply" novalidate>
${text}
${choices}
<div class="hp" aria-hidden="true"><label for="${HONEYPOT_FIELD}">Leave this empty</label><input id="${HONEYPOT_FIELD}" type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></div>
<p><button type="submit">Send my application</button></p>
</form>
<style>input[type=email], input[type=tel] { width: 100%; padding: .4rem; font: inherit; box-sizing: border-box; } .field-error { display: block; color: #991b1b; margin-bottom: .5rem; } fieldset { border: 1px solid #ddd; margin: 1rem 0; } .hp { position: absolute; left: -10000px; }</style>`,
  );
}

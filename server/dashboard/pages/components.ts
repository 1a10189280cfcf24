import { describeDelay, type TWaitingOn } from '../../../client/activity-delays';
import { formatAmount } from '../../../domain/format-amount';
import { formatInstant } from '../../../domain/format-instant';
import { escapeHtml } from '../../../domain/escape-html';
import { CATEGORY_LABELS, CRITERION_LABELS, RECORD_LABELS, SERVICE_LABELS, STAGE_LABELS } from '../../../domain/labels';
import {
  CERTIFICATION_CRITERIA,
  type TAgencyRecordKind,
  type TContractStage,
  type TPartnershipCategory,
  type TPartnerStage,
  type TServiceType,
} from '../../../domain/vocabulary';

export { escapeHtml as h, formatAmount };

export const stageLabel = (stage: string): string => STAGE_LABELS[stage as TContractStage | TPartnerStage] ?? stage;
export const serviceLabel = (service: string): string => SERVICE_LABELS[service as TServiceType] ?? service;
export const categoryLabel = (category: string): string => CATEGORY_LABELS[category as TPartnershipCategory] ?? category;
export const recordLabel = (kind: string): string => {
  const label = RECORD_LABELS[kind as TAgencyRecordKind] ?? kind;
  return label.charAt(0).toUpperCase() + label.slice(1);
};

const STAGE_TONES: Record<string, string> = {
  live: 'good',
  executed: 'good',
  certified: 'good',
  awaiting_partner_signature: 'wait',
  awaiting_district_signature: 'wait',
  awaiting_prerequisites: 'wait',
  in_review: 'wait',
  expired: 'closed',
  declined: 'bad',
  voided: 'closed',
  terminated: 'bad',
  rejected: 'bad',
  withdrawn: 'closed',
};

export const stageBadge = (stage: string): string =>
  `<span class="badge ${STAGE_TONES[stage] ?? ''}" data-stage="${escapeHtml(stage)}">${escapeHtml(stageLabel(stage))}</span>`;

/** "2026-11-23 14:05 CST" in the district's time zone. */
export function formatWhen(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  if (Number.isNaN(new Date(iso).getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(formatInstant(iso, timeZone))}</time>`;
}

/** `?a=1&b=x` from the values that are set; an empty filter is left out. */
export const queryString = (params: Record<string, string | number | boolean | null | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export function table(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  return `<table><thead><tr>${headers.map((head) => `<th>${escapeHtml(head)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Options of a select; `anyLabel` adds a first, empty choice that means "no filter". */
export function options(
  values: readonly string[],
  selected: string | undefined,
  label: (value: string) => string,
  anyLabel: string | null,
): string {
  return [
    ...(anyLabel === null ? [] : [`<option value="">${escapeHtml(anyLabel)}</option>`]),
    ...values.map(
      (value) => `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(label(value))}</option>`,
    ),
  ].join('');
}

/** The school filter: any text (contracts made before the policy's school list keep their names), offering the list. */
export const schoolFilter = (value: string | undefined, schools: readonly string[]): string =>
  `<label>School<input type="text" name="school" value="${escapeHtml(value ?? '')}" list="policy-schools" placeholder="a school of the district" autocomplete="off"></label><datalist id="policy-schools">${schools
    .map((school) => `<option value="${escapeHtml(school)}">`)
    .join('')}</datalist>`;

export const notice = (text: string, tone: 'ok' | 'error'): string =>
  `<p class="notice ${tone}" role="${tone === 'error' ? 'alert' : 'status'}">${escapeHtml(text)}</p>`;

/** An action that must say why: the reason is required, and the button is red. */
export const reasonForm = (action: string, question: string, button: string): string =>
  `<form method="post" action="${action}"><input type="text" name="reason" required minlength="3" placeholder="${escapeHtml(question)}" aria-label="${escapeHtml(question)}"><button type="submit" class="danger">${escapeHtml(button)}</button></form>`;

/**
 * Certifying answers the checklist of seed 000; an unticked criterion is refused with its name, so the reviewer
 * rejects instead. The hidden empty value sends the field when nothing is ticked.
 */
export const certifyForm = (action: string, button: string): string =>
  `<form method="post" action="${action}"><fieldset><legend>Certification checklist: the partner meets every criterion</legend><input type="hidden" name="checklist" value="">${CERTIFICATION_CRITERIA.map(
    (criterion) =>
      `<label><input type="checkbox" name="checklist" value="${criterion}"> ${escapeHtml(CRITERION_LABELS[criterion])}</label>`,
  ).join(
    '',
  )}</fieldset><input type="text" name="note" placeholder="Certification note (optional)" aria-label="Certification note"><button type="submit">${escapeHtml(button)}</button></form>`;

/** Shown while an email or a document of the workflow is stuck retrying: staff see it is delayed, not lost. */
export const delayNotices = (status: Partial<TWaitingOn>, timeZone: string): string =>
  [
    status.waitingOnEmail
      ? `<p class="notice error" role="alert" data-waiting-on-email>${escapeHtml(describeDelay('waitingOnEmail', status.waitingOnEmail, timeZone))}</p>`
      : '',
    status.waitingOnStorage
      ? `<p class="notice error" role="alert" data-waiting-on-storage>${escapeHtml(describeDelay('waitingOnStorage', status.waitingOnStorage, timeZone))}</p>`
      : '',
  ].join('');

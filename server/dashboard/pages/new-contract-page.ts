import type { TPartnerListing } from '../../../client/search/search-partners';
import { needsPayingDepartment, type TPolicy } from '../../../domain/policy';
import { PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../../domain/vocabulary';
import { categoryLabel, h, notice, options, serviceLabel, stageLabel } from './components';

/** What was typed, by form field name; a list for the checkboxes. */
export type TFormValues = Record<string, string | string[] | undefined>;

export interface TNewContractView {
  policy: TPolicy;
  /** The routes this staff member may start contracts on. */
  routes: string[];
  route: string | null;
  /** The paying departments a department account may choose; null: the office types any. */
  departments: string[] | null;
  partners: TPartnerListing[];
  values: TFormValues;
  /** Problems by form field name. */
  errors: Record<string, string>;
  message?: string;
}

const one = (values: TFormValues, name: string): string => {
  const value = values[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};
const many = (values: TFormValues, name: string): string[] => [values[name] ?? []].flat();

/** A labelled field with its problem beside it. */
function field(view: TNewContractView, name: string, label: string, control: string, hint = ''): string {
  const error = view.errors[name];
  return `<div class="field${error ? ' invalid' : ''}" data-field="${h(name)}"><label for="f-${h(name)}">${h(label)}</label>${control}${hint ? `<span class="muted">${h(hint)}</span>` : ''}${
    error ? `<span class="field-error" id="e-${h(name)}" role="alert">${h(error)}</span>` : ''
  }</div>`;
}

const described = (view: TNewContractView, name: string): string =>
  `id="f-${h(name)}" name="${h(name)}"${view.errors[name] ? ` aria-invalid="true" aria-describedby="e-${h(name)}"` : ''}`;

function input(view: TNewContractView, name: string, label: string, attributes = '', hint = ''): string {
  return field(view, name, label, `<input ${described(view, name)} value="${h(one(view.values, name))}" ${attributes}>`, hint);
}

/** Checkboxes: a multi-select that works without scripts. */
function checkboxes(
  view: TNewContractView,
  name: string,
  legend: string,
  values: readonly string[],
  label: (value: string) => string,
): string {
  const ticked = new Set(many(view.values, name));
  const error = view.errors[name];
  return `<fieldset class="choices${error ? ' invalid' : ''}" data-field="${h(name)}"${error ? ` aria-describedby="e-${h(name)}"` : ''}><legend>${h(legend)}</legend>${values
    .map(
      (value) =>
        `<label><input type="checkbox" name="${h(name)}" value="${h(value)}"${ticked.has(value) ? ' checked' : ''}> ${h(label(value))}</label>`,
    )
    .join('')}${error ? `<span class="field-error" id="e-${h(name)}" role="alert">${h(error)}</span>` : ''}</fieldset>`;
}

function amountField(view: TNewContractView, rule: 'positive' | 'zero' | 'any'): string {
  if (rule === 'zero') {
    return `<input type="hidden" name="amount" value="0">${field(view, 'amount', 'Amount', '<strong>$0</strong>', ' The partner brings its own funding.')}`;
  }
  const hint = rule === 'positive' ? ' Dollars, more than 0: the district pays.' : ' Dollars; 0 when the partner brings its own funding.';
  return input(view, 'amount', 'Amount', `inputmode="decimal" autocomplete="off"${rule === 'positive' ? ' required' : ''}`, hint);
}

function departmentFields(view: TNewContractView): string {
  const control = view.departments
    ? `<select ${described(view, 'payingDepartment.name')}>${options(view.departments, one(view.values, 'payingDepartment.name'), (d) => d, null)}</select>`
    : `<input ${described(view, 'payingDepartment.name')} value="${h(one(view.values, 'payingDepartment.name'))}" list="school-names" required>`;
  return `<fieldset class="group"><legend>Paying department or school, and who approves for it</legend>
${field(view, 'payingDepartment.name', 'Paying department or school', control)}
${input(view, 'payingDepartment.approverName', 'Approver’s name', 'required')}
${input(view, 'payingDepartment.approverEmail', 'Approver’s email', 'type="email" required')}
</fieldset>`;
}

function routeChoice(view: TNewContractView): string {
  if (view.routes.length === 0) return notice('Your account may not start contracts on any route of this policy.', 'error');
  return `<ul class="routes">${view.routes
    .map((key) => {
      const route = view.policy.routes[key]!;
      return `<li><a href="/dashboard/new-contract?route=${encodeURIComponent(key)}" data-route="${h(key)}"><strong>${h(route.label)}</strong></a><br><span class="muted">${h(route.description)}</span></li>`;
    })
    .join('')}</ul>`;
}

/** The "New contract" form: first the route, then the fields that route asks for. */
export function newContractPage(view: TNewContractView): string {
  const top = view.message ? notice(view.message, 'error') : '';
  const route = view.route ? view.policy.routes[view.route] : undefined;
  if (!view.route || !route) return `<h1>New contract</h1>${top}<p>Which kind of contract?</p>${routeChoice(view)}`;
  const partnerOptions = view.partners.map((p) => p.partnerId);
  const partnerLabel = (id: string) => {
    const partner = view.partners.find((p) => p.partnerId === id)!;
    return `${partner.organizationName} (${stageLabel(partner.stage)})`;
  };
  const schools = view.policy.schools ?? [];
  return `<h1>New contract: ${h(route.label)}</h1>${top}
<p class="muted">${h(route.description)} <a href="/dashboard/new-contract">Another kind</a></p>
<form method="post" action="/dashboard/new-contract" class="card new-contract" novalidate>
<input type="hidden" name="route" value="${h(view.route)}">
${field(view, 'partnerId', 'Partner', `<select ${described(view, 'partnerId')} required>${options(partnerOptions, one(view.values, 'partnerId'), partnerLabel, 'Choose the partner')}</select>`, partnerOptions.length ? '' : ' No partner has applied yet.')}
${input(view, 'programName', 'Program name', 'required maxlength="200"')}
${field(view, 'programDescription', 'Program description', `<textarea ${described(view, 'programDescription')} rows="3" maxlength="2000">${h(one(view.values, 'programDescription'))}</textarea>`)}
${checkboxes(view, 'services', 'Services', SERVICE_TYPES, serviceLabel)}
${checkboxes(view, 'schools', 'Schools', schools, (s) => s)}
${field(view, 'category', 'Partnership category', `<select ${described(view, 'category')}>${options(PARTNERSHIP_CATEGORIES, one(view.values, 'category') || 'contracted_partner', categoryLabel, null)}</select>`)}
${amountField(view, route.amount)}
${input(view, 'startDate', 'Start date', 'type="date" required')}
${input(view, 'endDate', 'End date', 'type="date" required', ' Contracts end with the school year.')}
${input(view, 'goLiveDate', 'Go-live date', 'type="date"', ' When the program may start; the start date when left empty.')}
${needsPayingDepartment(route) ? departmentFields(view) : ''}
<fieldset class="group"><legend>Who signs for the partner</legend><p class="muted">Left empty: the partner’s representative.</p>
${input(view, 'partnerSigner.name', 'Name', 'maxlength="200"')}
${input(view, 'partnerSigner.email', 'Email', 'type="email"')}
${input(view, 'partnerSigner.title', 'Title', 'maxlength="200"')}
</fieldset>
${field(view, 'exchangesStudentData', 'Student data', `<label><input type="checkbox" name="exchangesStudentData" value="yes"${one(view.values, 'exchangesStudentData') === 'yes' ? ' checked' : ''}> The program exchanges student data with the district (a data-sharing agreement applies)</label>`)}
${input(view, 'contractId', 'Contract id', 'maxlength="64" pattern="[a-z0-9][a-z0-9-]{2,63}"', ' Optional: lowercase letters, digits and dashes; made from the program name when left empty.')}
<button type="submit">Start the contract</button>
</form>
<datalist id="school-names">${schools.map((s) => `<option value="${h(s)}">`).join('')}</datalist>`;
}

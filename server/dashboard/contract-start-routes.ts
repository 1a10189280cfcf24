import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AMOUNT_EXPECTED, dollarsToCents } from '../../client/cli/flags';
import type { TCpoContext } from '../../client/context';
import { startContract } from '../../client/contracts';
import { CpoError, parseWrittenInput } from '../../client/errors';
import { getPartnerStatus } from '../../client/partners';
import { searchPartners } from '../../client/search/search-partners';
import { fieldProblems, formatZodError, problemLines } from '../../domain/format-zod-error';
import { currentYearTerm } from '../../domain/plan-term';
import { needsPayingDepartment } from '../../domain/policy';
import { newContractRequestSchemaFor, type TContractRequest } from '../../domain/schemas/contract';
import { canStartContract, mayStartContracts, type TStaffAccess } from '../../domain/staff-access';
import { dashboardPage } from './pages/dashboard-layout';
import { newContractPage, type TFormValues } from './pages/new-contract-page';
import { sendApiError } from './send-api-error';
import { answerUnlessAllowed, type TSignedInStaff } from './require-access';

/** Only the office and departments start contracts; a department only those it pays for. */
const START_ACTION = 'start contracts';
const paidBy = (request: TContractRequest): string =>
  request.payingDepartment ? `start contracts paid by ${request.payingDepartment.name}` : `start contracts on the ${request.route} route`;

/** Checks the request, then refuses what the account may not start (403) before anything starts (startContract checks it again, alike). */
async function startAs(context: TCpoContext, request: FastifyRequest, reply: FastifyReply, raw: unknown) {
  const contract = parseWrittenInput(newContractRequestSchemaFor(context.policy, context.now()), raw);
  const refused = answerUnlessAllowed(
    request,
    reply,
    canStartContract(request.staff!.access, contract.payingDepartment?.name),
    paidBy(contract),
  );
  return refused ? { refused } : { status: await startContract(context, contract) };
}

/** `POST /api/contracts`: the request `cpo contract start` takes; initiatedBy defaults to the signed-in person. */
export function registerContractStartApi(api: FastifyInstance, context: TCpoContext): void {
  api.post('/api/contracts', async (request, reply) => {
    const staff = request.staff!;
    const refused = answerUnlessAllowed(request, reply, mayStartContracts(staff.access), START_ACTION);
    if (refused) return refused;
    try {
      const body = request.body;
      const raw =
        body && typeof body === 'object' && !Array.isArray(body)
          ? { initiatedBy: { name: staff.name, email: staff.email }, ...body }
          : body;
      const started = await startAs(context, request, reply, raw);
      return started.refused ?? reply.code(201).send(started.status);
    } catch (error) {
      return sendApiError(request, reply, error);
    }
  });
}

const ZFormTextSchema = z
  .string()
  .max(4000)
  .optional()
  .transform((value) => value?.trim() || undefined);
const ZFormListSchema = z.preprocess((value) => [value ?? []].flat().filter((item) => item !== ''), z.array(z.string().max(300)).max(500));
const ZNewContractFormSchema = z.object({
  route: ZFormTextSchema,
  contractId: ZFormTextSchema,
  partnerId: ZFormTextSchema,
  programName: ZFormTextSchema,
  programDescription: ZFormTextSchema,
  services: ZFormListSchema,
  schools: ZFormListSchema,
  category: ZFormTextSchema,
  amount: ZFormTextSchema,
  startDate: ZFormTextSchema,
  endDate: ZFormTextSchema,
  goLiveDate: ZFormTextSchema,
  'payingDepartment.name': ZFormTextSchema,
  'payingDepartment.approverName': ZFormTextSchema,
  'payingDepartment.approverEmail': ZFormTextSchema,
  'partnerSigner.name': ZFormTextSchema,
  'partnerSigner.email': ZFormTextSchema,
  'partnerSigner.title': ZFormTextSchema,
  exchangesStudentData: ZFormTextSchema,
});
type TNewContractForm = z.infer<typeof ZNewContractFormSchema>;
const FORM_FIELDS = Object.keys(ZNewContractFormSchema.shape);

/** A contract id from the program name ("Reading circles" → reading-circles-3f9a), when none is typed. */
const contractIdFor = (programName: string | undefined): string => {
  const slug = (programName ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${slug.length >= 3 ? slug : 'contract'}-${randomBytes(2).toString('hex')}`;
};

type TFormAmount = { cents: number; problem?: undefined } | { cents?: undefined; problem: string };

/** The typed dollars in cents, by the route's amount rule: $0 routes have no amount to type. */
function amountFromForm(rule: 'positive' | 'zero' | 'any' | undefined, typed: string | undefined): TFormAmount {
  if (rule === 'zero') return { cents: 0 };
  if (!typed) return rule === 'positive' ? { problem: 'is required: what the district pays, in dollars' } : { cents: 0 };
  try {
    return { cents: dollarsToCents(typed)! };
  } catch {
    return { problem: AMOUNT_EXPECTED };
  }
}

/** The form as the request `POST /api/contracts` takes; the signer defaults to the partner's representative. */
async function requestFromForm(
  context: TCpoContext,
  staff: TSignedInStaff,
  form: TNewContractForm,
  amount: TFormAmount,
): Promise<Record<string, unknown>> {
  const route = form.route ? context.policy.routes[form.route] : undefined;
  const representative =
    !form['partnerSigner.name'] && !form['partnerSigner.email'] && form.partnerId
      ? await getPartnerStatus(context, form.partnerId)
          .then((p) => p.representative)
          .catch(() => undefined)
      : undefined;
  const signer = representative ?? {
    name: form['partnerSigner.name'],
    email: form['partnerSigner.email'],
    title: form['partnerSigner.title'],
  };
  return {
    contractId: form.contractId ?? contractIdFor(form.programName),
    partnerId: form.partnerId,
    programName: form.programName,
    ...(form.programDescription ? { programDescription: form.programDescription } : {}),
    services: form.services,
    schools: form.schools,
    route: form.route,
    category: form.category,
    // Unreadable: the schema refuses it on amountCents, and the form says what was wrong with what was typed.
    amountCents: amount.cents ?? Number.NaN,
    startDate: form.startDate,
    endDate: form.endDate,
    ...(form.goLiveDate ? { goLiveDate: form.goLiveDate } : {}),
    initiatedBy: { name: staff.name, email: staff.email },
    ...(route && needsPayingDepartment(route)
      ? {
          payingDepartment: {
            name: form['payingDepartment.name'],
            approverName: form['payingDepartment.approverName'],
            approverEmail: form['payingDepartment.approverEmail'],
          },
        }
      : {}),
    partnerSigner: { name: signer.name, email: signer.email, ...(signer.title ? { title: signer.title } : {}) },
    exchangesStudentData: form.exchangesStudentData === 'yes',
  };
}

/** The form field a problem belongs beside (amountCents is typed as dollars in "amount"), or null. */
const formFieldOf = (path: string): string | null =>
  path === 'amountCents' ? 'amount' : (FORM_FIELDS.find((name) => path === name || path.startsWith(`${name}.`)) ?? null);

/** Each problem beside its form field (the first one there), and those of no field of the form. */
function errorsBeside(problems: readonly { field: string; message: string }[], known: Record<string, string> = {}) {
  const errors = { ...known };
  const elsewhere: string[] = [];
  for (const problem of problems) {
    const name = formFieldOf(problem.field);
    if (name) errors[name] ??= problem.message;
    else elsewhere.push(...problemLines([problem]));
  }
  return { errors, elsewhere };
}

/** The "New contract" pages; the office sees every route, a department those it initiates, for its departments only. */
export function registerContractStartPages(pages: FastifyInstance, context: TCpoContext): void {
  const { policy } = context;
  const routesFor = (access: TStaffAccess): string[] =>
    Object.keys(policy.routes).filter((key) => access.role === 'cpo' || policy.routes[key]!.initiatedBy === 'paying_department');
  const partners = async () => {
    const stages = await Promise.all(
      ['certified', 'in_review', 'applied'].map((stage) => searchPartners(context, { stage, pageSize: 200 })),
    );
    return stages.flatMap((found) => found.partners).sort((a, b) => a.organizationName.localeCompare(b.organizationName));
  };
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    route: string | null,
    values: TFormValues,
    errors: Record<string, string> = {},
    message?: string,
    code = 200,
  ) => {
    const staff = request.staff!;
    const routes = routesFor(staff.access);
    const offered = route && routes.includes(route) ? route : null;
    const view = {
      policy,
      routes,
      route: offered,
      departments: staff.access.role === 'department' ? staff.access.departments : null,
      partners: offered ? await partners() : [],
      values,
      errors,
      ...(message ? { message } : {}),
    };
    return reply
      .code(code)
      .type('text/html; charset=utf-8')
      .send(dashboardPage({ title: 'New contract', section: 'new-contract', staff, body: newContractPage(view), live: false }));
  };

  pages.get<{ Querystring: { route?: unknown } }>('/dashboard/new-contract', async (request, reply) => {
    const refused = answerUnlessAllowed(request, reply, mayStartContracts(request.staff!.access), START_ACTION);
    if (refused) return refused;
    const term = currentYearTerm(context.now(), policy);
    const route = request.query.route ?? null;
    const routes = routesFor(request.staff!.access);
    if (route !== null && (typeof route !== 'string' || !routes.includes(route))) {
      return show(
        request,
        reply,
        null,
        {},
        {},
        `route: ${JSON.stringify(route)} is not a route you may start contracts on; choose one of: ${routes.join(', ')}`,
        400,
      );
    }
    const approver =
      request.staff!.access.role === 'department'
        ? { 'payingDepartment.approverName': request.staff!.name, 'payingDepartment.approverEmail': request.staff!.email }
        : {};
    return show(request, reply, route, { startDate: term.startDate, endDate: term.endDate, ...approver });
  });

  pages.post('/dashboard/new-contract', async (request, reply) => {
    const refused = answerUnlessAllowed(request, reply, mayStartContracts(request.staff!.access), START_ACTION);
    if (refused) return refused;
    const parsed = ZNewContractFormSchema.safeParse(request.body ?? {});
    const values = (request.body ?? {}) as TFormValues;
    if (!parsed.success) {
      const route = typeof values.route === 'string' ? values.route : null;
      return show(
        request,
        reply,
        route,
        values,
        errorsBeside(fieldProblems(parsed.error)).errors,
        `The form could not be read: ${formatZodError(parsed.error)}`,
        400,
      );
    }
    const form = parsed.data;
    const amount = amountFromForm(form.route ? policy.routes[form.route]?.amount : undefined, form.amount);
    try {
      const started = await startAs(context, request, reply, await requestFromForm(context, request.staff!, form, amount));
      return started.refused ?? reply.redirect(`/dashboard/contracts/${encodeURIComponent(started.status.contractId)}`, 303);
    } catch (error) {
      if (!(error instanceof CpoError)) throw error;
      const { errors, elsewhere } = errorsBeside(error.problems, amount.problem ? { amount: amount.problem } : {});
      const message =
        error.problems.length === 0 || elsewhere.length
          ? [error.message, ...elsewhere].join(' — ')
          : 'Not started yet: please correct the fields marked below.';
      return show(request, reply, form.route ?? null, values, errors, message, error.httpStatus);
    }
  });
}

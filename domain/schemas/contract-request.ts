import { z } from 'zod';
import { checkSchoolNames } from '../check-school-names';
import { ZDateOrInstantSchema, ZDateSchema } from '../dates';
import { ownEntry } from '../own-entry';
import { MAX_SCHOOLS_PER_CONTRACT, needsPayingDepartment, type TPolicy } from '../policy';
import { lastDayOf, localDate, nextSchoolYearName, schoolYearAt, schoolYearOf } from '../school-year';
import { PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../vocabulary';
import { ZActorSchema, ZAmountCentsSchema, ZEmailSchema, ZIdSchema, ZNameSchema, ZPersonSchema } from './common';

/** The contract request: what a contract covers, and the checks against the district policy. */

export const ZSchoolListSchema = z
  .array(ZNameSchema)
  .min(1, 'needs at least one school')
  .max(MAX_SCHOOLS_PER_CONTRACT, `must list at most ${MAX_SCHOOLS_PER_CONTRACT} schools`)
  .refine((schools) => new Set(schools).size === schools.length, 'lists a school twice');

/** The fields alone; every schema below builds a fresh object from them (see contractRequestSchemaFor). */
const contractRequestFields = {
  contractId: ZIdSchema,
  partnerId: ZIdSchema,
  programName: ZNameSchema,
  programDescription: z.string().trim().max(2000).optional(),
  services: z.array(z.enum(SERVICE_TYPES)).min(1, 'needs at least one service type'),
  /** One contract per program; the same program at several schools shares it (seed 001). */
  schools: ZSchoolListSchema,
  route: z.string().min(1, 'is required'),
  /** The partnership category the program is under (seed 002). */
  category: z.enum(PARTNERSHIP_CATEGORIES).default('contracted_partner'),
  amountCents: ZAmountCentsSchema,
  startDate: ZDateSchema,
  endDate: ZDateSchema,
  /** When the program may start; defaults to startDate. */
  goLiveDate: ZDateOrInstantSchema.optional(),
  initiatedBy: ZActorSchema,
  /** Required on routes where the paying department initiates or signs. */
  payingDepartment: z.object({ name: ZNameSchema, approverName: ZNameSchema, approverEmail: ZEmailSchema }).optional(),
  partnerSigner: ZPersonSchema,
  /** The program exchanges student data with the district: a FERPA data-sharing agreement applies. */
  exchangesStudentData: z.boolean().default(false),
  /** Last school year's contract this one renews. */
  renewalOf: ZIdSchema.optional(),
};

const checkTerm = (contract: z.output<z.ZodObject<typeof contractRequestFields>>, ctx: z.RefinementCtx): void => {
  if (contract.endDate <= contract.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must be after startDate (${contract.startDate})` });
  }
  if (contract.goLiveDate && contract.goLiveDate.slice(0, 10) > contract.endDate) {
    ctx.addIssue({ code: 'custom', path: ['goLiveDate'], message: `must not be after endDate (${contract.endDate})` });
  }
};

export const ZContractRequestSchema = z.object(contractRequestFields).superRefine(checkTerm);
export type TContractRequest = z.infer<typeof ZContractRequestSchema>;
/** A request as callers write it: defaulted fields may be left out. */
export type TContractRequestInput = z.input<typeof ZContractRequestSchema>;

/** Why an amount breaks the route's rule (the district pays, or the partner brings its own funding), or null. */
export function routeAmountProblem(policy: TPolicy, routeKey: string, amountCents: number): string | null {
  const rule = ownEntry(policy.routes, routeKey)?.amount;
  if (rule === 'zero' && amountCents !== 0) return `must be 0 on the ${routeKey} route`;
  if (rule === 'positive' && amountCents === 0) return `must be more than 0 on the ${routeKey} route`;
  return null;
}

/** Why a contract may not cover this many schools under the policy, or null. */
export function schoolCountProblem(policy: TPolicy, count: number): string | null {
  const max = policy.maxSchoolsPerContract;
  return count > max ? `lists ${count} schools; ${policy.district} allows at most ${max} on one contract` : null;
}

/** The request checked against a district policy: known route, the route's amount rule, its paying department. */
export function contractRequestSchemaFor(policy: TPolicy) {
  // A new object, not ZContractRequestSchema.superRefine(…): that would clone a schema the workflow sandbox shares
  // frozen (worker/workflow-bundle-options.ts), and cloning writes to it.
  return z
    .object(contractRequestFields)
    .superRefine(checkTerm)
    .superRefine((contract, ctx) => {
      const route = ownEntry(policy.routes, contract.route);
      if (!route) {
        ctx.addIssue({
          code: 'custom',
          path: ['route'],
          message: `"${contract.route}" is not a route of ${policy.district}; use one of: ${Object.keys(policy.routes).join(', ')}`,
        });
        return;
      }
      const amountProblem = routeAmountProblem(policy, contract.route, contract.amountCents);
      if (amountProblem) ctx.addIssue({ code: 'custom', path: ['amountCents'], message: amountProblem });
      if (needsPayingDepartment(route) && !contract.payingDepartment) {
        ctx.addIssue({ code: 'custom', path: ['payingDepartment'], message: `is required on the ${contract.route} route` });
      }
    });
}

/**
 * A new contract, checked at the client boundary with its clock: it names schools of the policy's list and fits its
 * school-count limit, ends with its school year, does not end before today, and runs in the current school year or
 * the next. Running contracts keep the rules they started with (these are not checked again on replay).
 */
export function newContractRequestSchemaFor(policy: TPolicy, nowMs: number) {
  return contractRequestSchemaFor(policy).superRefine((contract, ctx) => {
    const schoolsProblem = schoolCountProblem(policy, contract.schools.length);
    if (schoolsProblem) ctx.addIssue({ code: 'custom', path: ['schools'], message: schoolsProblem });
    const unknownSchools = checkSchoolNames(policy, contract.schools);
    if (unknownSchools) ctx.addIssue({ code: 'custom', path: ['schools'], message: unknownSchools });
    // Refinements run on input with other problems too; a bad date is already reported.
    const datesValid = [contract.startDate, contract.endDate, contract.goLiveDate ?? contract.startDate].every(
      (d) => ZDateOrInstantSchema.safeParse(d).success,
    );
    if (!ownEntry(policy.routes, contract.route) || !datesValid) return;
    const year = schoolYearOf(contract.goLiveDate ?? contract.startDate, policy.schoolYear, policy.timeZone);
    const lastDay = lastDayOf(year, policy.timeZone);
    if (contract.endDate > lastDay) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: `must be on or before ${lastDay}, the last day of the ${year.name} school year: contracts end with the school year and are renewed for the next`,
      });
    }
    const today = localDate(nowMs, policy.timeZone);
    if (contract.endDate < today) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: `must not be before today (${today}): the whole term would already be over`,
      });
    }
    const current = schoolYearAt(nowMs, policy.schoolYear, policy.timeZone).name;
    const next = nextSchoolYearName(current);
    if (year.name !== current && year.name !== next) {
      ctx.addIssue({
        code: 'custom',
        path: [contract.goLiveDate ? 'goLiveDate' : 'startDate'],
        message: `falls in the ${year.name} school year; contracts are made for the current school year (${current}) or the next (${next})`,
      });
    }
  });
}

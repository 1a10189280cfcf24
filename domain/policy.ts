import { z } from 'zod';
import { ZDateOrInstantSchema } from './dates';
import { ZDurationSchema } from './durations';
import { ownEntry } from './own-entry';
import { ZNameSchema } from './schemas/common';
import { AGENCY_RECORD_KINDS, NOTIFICATION_KINDS, PARTNERSHIP_CATEGORIES } from './vocabulary';

/** The most schools any policy may allow on one contract. */
export const MAX_SCHOOLS_PER_CONTRACT = 200;

const ZKeySchema = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'must be a lower_snake_case key');

export const ZOfficeSchema = z.object({
  label: z.string().min(1),
  signerName: z.string().min(1),
  email: z.email(),
});
export type TOffice = z.infer<typeof ZOfficeSchema>;

/** Who acts for the district on a route: the paying department named on the contract, or an office of the policy. */
const ZDistrictPartySchema = z.union([z.literal('paying_department'), ZKeySchema]);

export const ZRoutePolicySchema = z.object({
  label: z.string().min(1),
  description: z.string().min(1),
  initiatedBy: ZDistrictPartySchema,
  /** Who approves before the partner is asked to sign; unset or equal to initiatedBy: initiating is approving. */
  approvedBy: ZDistrictPartySchema.optional(),
  districtSigner: ZDistrictPartySchema,
  /** The agreement's name on its PDF and in emails, e.g. "Memorandum of Understanding". */
  documentTitle: z.string().min(1).default('Partnership contract'),
  /** positive: the district pays; zero: the partner brings its own funding; any: either. */
  amount: z.enum(['positive', 'zero', 'any']),
});
export type TRoutePolicy = z.infer<typeof ZRoutePolicySchema>;

/** The route names the paying department (and its approver) on each contract: it initiates, approves or signs. */
export const needsPayingDepartment = (route: TRoutePolicy): boolean =>
  [route.initiatedBy, route.approvedBy, route.districtSigner].includes('paying_department');

const ZMonthDaySchema = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a month and day written MM-DD');
const ZRecordKindsSchema = z.array(z.enum(AGENCY_RECORD_KINDS));

export const ZSchoolYearPolicySchema = z
  .object({
    /** The first day of every school year (MM-DD); contracts end with the school year. */
    startsOn: ZMonthDaySchema.default('07-01'),
    /** When renewal requests go out, in the spring of the year (MM-DD). */
    renewalRequestsOn: ZMonthDaySchema.default('04-01'),
    /** Years with exact dates from the district calendar; they win over the MM-DD rule. */
    calendar: z
      .array(
        z.object({
          name: z.string().regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027'),
          startsAt: ZDateOrInstantSchema,
          endsAt: ZDateOrInstantSchema,
          renewalRequestsAt: ZDateOrInstantSchema,
        }),
      )
      .default([]),
  })
  .superRefine((year, ctx) => {
    if (year.renewalRequestsOn >= year.startsOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['renewalRequestsOn'],
        message: `must fall before startsOn (${year.startsOn}) in the calendar year, in the spring of the school year`,
      });
    }
    year.calendar.forEach((entry, index) => {
      const [first, second] = entry.name.split('-').map(Number);
      if (second !== first! + 1)
        ctx.addIssue({ code: 'custom', path: ['calendar', index, 'name'], message: 'must name two consecutive years' });
      if (!(entry.startsAt < entry.renewalRequestsAt && entry.renewalRequestsAt < entry.endsAt)) {
        ctx.addIssue({
          code: 'custom',
          path: ['calendar', index, 'renewalRequestsAt'],
          message: 'must fall after startsAt and before endsAt',
        });
      }
    });
  });

/** Which agency-level records a contract waits for, on top of certification. */
export const ZAgencyRecordsPolicySchema = z.object({
  always: ZRecordKindsSchema.default(['safety_attestation']),
  byRoute: z.record(ZKeySchema, ZRecordKindsSchema).default({}),
  byCategory: z.partialRecord(z.enum(PARTNERSHIP_CATEGORIES), ZRecordKindsSchema).default({}),
  /** Added when the program exchanges student data with the district. */
  whenStudentDataExchanged: ZRecordKindsSchema.default([]),
  /** Records that expire with the school year and are asked for again for the next. */
  renewEachSchoolYear: ZRecordKindsSchema.default(['safety_attestation']),
  /** Student-data access (FERPA): an agreement signed by each agency, or arranged centrally by an office. */
  studentDataManagedBy: z.union([z.literal('agency'), ZKeySchema]).default('agency'),
  /** What the representative affirms for each record asked for by email (`/affirm/<token>`); a kind without one is recorded by staff only. */
  statements: z.partialRecord(z.enum(AGENCY_RECORD_KINDS).exclude(['safety_attestation']), z.string().min(1).max(4000)).default({}),
});
export type TAgencyRecordsPolicy = z.infer<typeof ZAgencyRecordsPolicySchema>;

/** District wording for an email: replaces the subject and/or adds an opening paragraph. {program}, {organization}, {district} and {schoolYear} are filled in. */
const ZEmailTextSchema = z.object({
  subject: z.string().min(1).max(300).optional(),
  intro: z.string().min(1).max(4000).optional(),
});

export const ZPolicySchema = z
  .object({
    policyId: ZKeySchema,
    version: z.string().min(1),
    district: z.string().min(1),
    timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as America/Chicago'),
    /** How many schools one contract may cover (a program offered district-wide lists them all). */
    maxSchoolsPerContract: z.number().int().min(1).max(MAX_SCHOOLS_PER_CONTRACT).default(100),
    /**
     * The district's schools: contracts, the directory and its filters use these names. Policy files must list them
     * (config/load-policy); only the policy copies of contracts started before the list existed have none.
     */
    schools: z
      .array(ZNameSchema)
      .max(5000)
      .refine((schools) => new Set(schools).size === schools.length, 'lists a school twice')
      .optional(),
    offices: z.record(ZKeySchema, ZOfficeSchema),
    routes: z.record(ZKeySchema, ZRoutePolicySchema).refine((routes) => Object.keys(routes).length > 0, 'needs at least one route'),
    signature: z.object({
      remindEvery: ZDurationSchema,
      expireAfter: ZDurationSchema,
    }),
    schoolYear: ZSchoolYearPolicySchema.default({ startsOn: '07-01', renewalRequestsOn: '04-01', calendar: [] }),
    renewal: z.object({ remindEvery: ZDurationSchema.default('7d') }).default({ remindEvery: '7d' }),
    agencyRecords: ZAgencyRecordsPolicySchema.default({
      always: ['safety_attestation'],
      byRoute: {},
      byCategory: {},
      whenStudentDataExchanged: [],
      renewEachSchoolYear: ['safety_attestation'],
      studentDataManagedBy: 'agency',
      statements: {},
    }),
    emails: z.partialRecord(z.enum(NOTIFICATION_KINDS), ZEmailTextSchema).default({}),
    attestation: z.object({
      title: z.string().min(1),
      statements: z.array(z.string().min(1)).min(1),
    }),
  })
  .superRefine((policy, ctx) => {
    for (const [routeKey, route] of Object.entries(policy.routes)) {
      for (const field of ['initiatedBy', 'approvedBy', 'districtSigner'] as const) {
        const party = route[field];
        if (party !== undefined && party !== 'paying_department' && !ownEntry(policy.offices, party)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', routeKey, field],
            message: `names office "${party}", which is not in offices (${Object.keys(policy.offices).join(', ')})`,
          });
        }
      }
    }
    const office = policy.agencyRecords.studentDataManagedBy;
    if (office !== 'agency' && !ownEntry(policy.offices, office)) {
      ctx.addIssue({
        code: 'custom',
        path: ['agencyRecords', 'studentDataManagedBy'],
        message: `names office "${office}", which is not in offices`,
      });
    }
    for (const routeKey of Object.keys(policy.agencyRecords.byRoute)) {
      if (!ownEntry(policy.routes, routeKey)) {
        ctx.addIssue({
          code: 'custom',
          path: ['agencyRecords', 'byRoute', routeKey],
          message: `is not a route of this policy (${Object.keys(policy.routes).join(', ')})`,
        });
      }
    }
  });
export type TPolicy = z.infer<typeof ZPolicySchema>;

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

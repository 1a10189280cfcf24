import { z } from 'zod';
import { checkSchoolNames } from '../check-school-names';
import { ZDateOrInstantSchema, ZDateSchema } from '../dates';
import { ownEntry } from '../own-entry';
import { MAX_SCHOOLS_PER_CONTRACT, needsPayingDepartment, type TPolicy } from '../policy';
import { lastDayOf, localDate, nextSchoolYearName, schoolYearAt, schoolYearOf } from '../school-year';
import { PARTNERSHIP_CATEGORIES, SERVICE_TYPES, SIGNER_ROLES, type TContractStage, type TSignerRole } from '../vocabulary';
import {
  ZActorSchema,
  ZAmountCentsSchema,
  ZEmailSchema,
  ZIdSchema,
  ZNameSchema,
  ZPersonSchema,
  ZReasonSchema,
  ZSha256Schema,
  type TDocumentRef,
  type THistoryEntry,
} from './common';
import type { TPartnerStanding } from './partner';

const ZSchoolListSchema = z
  .array(ZNameSchema)
  .min(1, 'needs at least one school')
  .max(MAX_SCHOOLS_PER_CONTRACT, `must list at most ${MAX_SCHOOLS_PER_CONTRACT} schools`)
  .refine((schools) => new Set(schools).size === schools.length, 'lists a school twice');

export const ZContractRequestSchema = z
  .object({
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
    payingDepartment: z
      .object({ name: ZNameSchema, approverName: ZNameSchema, approverEmail: ZEmailSchema })
      .optional(),
    partnerSigner: ZPersonSchema,
    /** The program exchanges student data with the district: a FERPA data-sharing agreement applies. */
    exchangesStudentData: z.boolean().default(false),
    /** Last school year's contract this one renews. */
    renewalOf: ZIdSchema.optional(),
  })
  .superRefine((contract, ctx) => {
    if (contract.endDate <= contract.startDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must be after startDate (${contract.startDate})` });
    }
    if (contract.goLiveDate && contract.goLiveDate.slice(0, 10) > contract.endDate) {
      ctx.addIssue({ code: 'custom', path: ['goLiveDate'], message: `must not be after endDate (${contract.endDate})` });
    }
  });
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
  return ZContractRequestSchema.superRefine((contract, ctx) => {
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
    const datesValid = [contract.startDate, contract.endDate, contract.goLiveDate ?? contract.startDate].every((d) => ZDateOrInstantSchema.safeParse(d).success);
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
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must not be before today (${today}): the whole term would already be over` });
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

const ZApproverSchema = z.object({ name: ZNameSchema, email: ZEmailSchema });
/** How an approval or a send-back reached the workflow, when not from staff tools: the emailed link or a reply. */
const ZApprovalMethodSchema = z.enum(['link', 'email_reply']);
/** The approval request a link or a reply answers; a request that is not the current one is refused. */
const ZApprovalRequestNumberSchema = z.number().int().positive();
export const ZApproveContractSchema = z.object({
  by: ZApproverSchema,
  requestNumber: ZApprovalRequestNumberSchema.optional(),
  method: ZApprovalMethodSchema.optional(),
});
/** The approver does not approve: the contract goes back to its initiator with the reason, and ends voided. */
export const ZSendBackContractSchema = z.object({
  by: ZApproverSchema,
  reason: ZReasonSchema,
  requestNumber: ZApprovalRequestNumberSchema.optional(),
  method: ZApprovalMethodSchema.optional(),
});
export type TSendBackContract = z.infer<typeof ZSendBackContractSchema>;
/** Adds schools to a live contract; both parties sign the amendment, and the new schools may start once they have. */
export const ZAmendContractSchema = z.object({ by: ZActorSchema, addSchools: ZSchoolListSchema, note: z.string().trim().max(2000).optional() });
/** Renews for the next school year on the same route; what changes for the new year may be given. */
export const ZRenewContractSchema = z.object({
  by: ZApproverSchema,
  changes: z
    .object({
      contractId: ZIdSchema.optional(),
      schools: ZSchoolListSchema.optional(),
      amountCents: ZAmountCentsSchema.optional(),
    })
    .default({}),
});
export const ZDeclineRenewalSchema = z.object({ by: ZActorSchema, reason: ZReasonSchema });
export type TApproveContract = z.infer<typeof ZApproveContractSchema>;
export type TAmendContract = z.infer<typeof ZAmendContractSchema>;
export type TRenewContract = z.input<typeof ZRenewContractSchema>;
export type TDeclineRenewal = z.infer<typeof ZDeclineRenewalSchema>;

export const ZSignContractSchema = z.object({
  role: z.enum(SIGNER_ROLES),
  name: ZNameSchema,
  title: ZNameSchema.optional(),
  email: ZEmailSchema,
  consent: z.literal(true, { error: 'must be true: the signer agrees to sign electronically' }),
  /** The SHA-256 of the document the signer saw; it must be the contract on record. */
  documentSha256: ZSha256Schema,
  method: z.enum(['cli', 'link', 'email_reply', 'dashboard']),
  /** The request the signer answers; a link or a reply carries it, and a superseded request is refused. */
  requestNumber: z.number().int().positive().optional(),
  ipAddress: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
});
export type TSignContract = z.infer<typeof ZSignContractSchema>;

export const ZResendSignatureRequestSchema = z.object({ by: ZActorSchema });
export type TResendSignatureRequest = z.infer<typeof ZResendSignatureRequestSchema>;

/** A signer opened the signing page of a request. */
export const ZRecordViewSchema = z.object({
  role: z.enum(SIGNER_ROLES),
  requestNumber: z.number().int().positive(),
  ipAddress: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
});
export type TRecordView = z.infer<typeof ZRecordViewSchema>;

export const SIGNING_EVENT_TYPES = ['sent', 'reminded', 'resent', 'viewed', 'signed', 'declined', 'voided', 'expired'] as const;

/** One line of the certificate of completion: what happened to a signature request, who, when, from where. */
export interface TSigningEvent {
  at: string;
  type: (typeof SIGNING_EVENT_TYPES)[number];
  role: TSignerRole;
  name: string;
  email: string;
  requestNumber: number;
  documentSha256: string;
  /** Set on events of an amendment. */
  amendmentNumber?: number;
  ipAddress?: string;
  userAgent?: string;
  detail?: string;
}

export const ZDeclineContractSchema = z.object({
  by: ZActorSchema,
  reason: ZReasonSchema,
  requestNumber: z.number().int().positive().optional(),
  ipAddress: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
});
export const ZVoidContractSchema = z.object({ by: ZActorSchema, reason: ZReasonSchema });
export const ZStartProgramSchema = z.object({ by: ZActorSchema, school: ZNameSchema.optional() });
export type TDeclineContract = z.infer<typeof ZDeclineContractSchema>;
export type TVoidContract = z.infer<typeof ZVoidContractSchema>;
export type TStartProgram = z.infer<typeof ZStartProgramSchema>;

export interface TSignatureRecord {
  role: TSignerRole;
  name: string;
  title?: string;
  email: string;
  signedAt: string;
  method: TSignContract['method'];
  ipAddress?: string;
  userAgent?: string;
  requestNumber: number;
  documentSha256: string;
  amendmentNumber?: number;
}

/** What is out for signature now: the contract or an amendment. */
export interface TSigningNow {
  role: TSignerRole;
  name: string;
  email: string;
  requestNumber: number;
  document: TDocumentRef;
  amendmentNumber: number | null;
}

export interface TAmendment {
  number: number;
  addSchools: string[];
  note?: string;
  requestedBy: string;
  requestedAt: string;
  status: 'drafting' | 'awaiting_partner_signature' | 'awaiting_district_signature' | 'executed' | 'declined' | 'expired';
  document: TDocumentRef | null;
  executed: TDocumentRef | null;
  closedReason?: string;
}

export interface TRenewal {
  schoolYear: string;
  /** The person or office asked to decide (the paying department, or the office that initiates the route). */
  askedEmail: string;
  requestedAt: string | null;
  decision: 'renew' | 'not_renewed' | null;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  nextContractId?: string;
}

export interface TApproval {
  approverEmail: string;
  /** Unset on contracts from before approval by link. */
  approverName?: string;
  approvedBy: string | null;
  approvedAt: string | null;
  /** The approval request out now (its link and reply address name it); unset on contracts from before approval by link. */
  requestNumber?: number;
  /** When the approval request expires and the contract with it. */
  deadline?: string;
  /** Set when the approver sent the contract back instead of approving it. */
  sentBack?: { by: string; email: string; reason: string; at: string };
}

export interface TProgramStart {
  school: string;
  by: string;
  at: string;
}

export interface TDistrictSigner {
  name: string;
  email: string;
  office: string;
}

export interface TContractStatus {
  contractId: string;
  request: TContractRequest;
  policyId: string;
  policyVersion: string;
  routeLabel: string;
  districtSigner: TDistrictSigner;
  /** The school year the program runs in; the contract ends with it. */
  schoolYear: string;
  stage: TContractStage;
  /** Set when the route needs an approval other than the initiator's. */
  approval: TApproval | null;
  /** What the contract waits for from its partner before it can go to signature. */
  waitingFor: string[];
  signing: TSigningNow | null;
  amendments: TAmendment[];
  renewal: TRenewal | null;
  partner: TPartnerStanding | null;
  documents: { contract: TDocumentRef | null; executed: TDocumentRef | null };
  signatures: TSignatureRecord[];
  signingEvents: TSigningEvent[];
  requestNumber: number;
  nextDeadline: string | null;
  goLiveAt: string;
  closedReason: string | null;
  programStartBlockedReason: string | null;
  programStarts: TProgramStart[];
  attention: string | null;
  history: THistoryEntry[];
}

export interface TContractWorkflowInput {
  request: TContractRequest;
  /** The policy the contract started with; a running contract keeps it when the policy file changes. */
  policy: TPolicy;
}

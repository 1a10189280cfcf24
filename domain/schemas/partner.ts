import { z } from 'zod';
import type { TPolicy } from '../policy';
import {
  AGENCY_RECORD_KINDS,
  CERTIFICATION_CRITERIA,
  PARTNER_STAGES,
  PARTNERSHIP_CATEGORIES,
  SERVICE_TYPES,
  type TAgencyRecordKind,
  type TCertificationCriterion,
  type TPartnershipCategory,
  type TPartnerStage,
} from '../vocabulary';
import {
  ZActorSchema,
  ZEmailSchema,
  ZIdSchema,
  ZNameSchema,
  ZPersonSchema,
  ZReasonSchema,
  ZPhoneSchema,
  ZSha256Schema,
  type TDocumentRef,
  type THistoryEntry,
} from './common';

export const ZPartnerApplicationSchema = z.object({
  partnerId: ZIdSchema,
  organizationName: ZNameSchema,
  /** The approved agency representative: receives agency-level requests and signs the attestation. */
  representative: ZPersonSchema.extend({ title: ZNameSchema, phone: ZPhoneSchema.optional() }),
  services: z.array(z.enum(SERVICE_TYPES)).min(1, 'needs at least one service type'),
  /** An agency may be several kinds of partner (seed 002); its contracts add theirs. */
  categories: z.array(z.enum(PARTNERSHIP_CATEGORIES)).min(1, 'needs at least one category').default(['contracted_partner']),
  // Asked by the online form (optional for applications staff take by phone or on paper).
  /** Schools or areas of the city the partner wants to serve, in its words. */
  interests: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  programDescription: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
  /** The seed-000 criteria the applicant says apply to it (the reviewer still answers each on certifying). */
  criteriaAffirmed: z.array(z.enum(CERTIFICATION_CRITERIA)).optional(),
});
export type TPartnerApplication = z.infer<typeof ZPartnerApplicationSchema>;
export type TPartnerApplicationInput = z.input<typeof ZPartnerApplicationSchema>;

export const ZStartReviewSchema = z.object({ reviewer: ZActorSchema });
/** Every criterion of seed 000 answered; a partner is certified only when all are met. */
export const ZCertificationChecklistSchema = z
  .object(
    Object.fromEntries(
      CERTIFICATION_CRITERIA.map((criterion) => [criterion, z.boolean({ error: 'must be answered true or false' })]),
    ) as Record<TCertificationCriterion, z.ZodBoolean>,
  )
  .superRefine((checklist, ctx) => {
    for (const criterion of CERTIFICATION_CRITERIA) {
      if (checklist[criterion] === false) {
        ctx.addIssue({
          code: 'custom',
          path: [criterion],
          message: `${criterion} is not met, so the partner cannot be certified (reject the application instead)`,
        });
      }
    }
  });
export type TCertificationChecklist = Record<TCertificationCriterion, boolean>;
/** The checklist with the criteria given answered yes and every other one no. */
export const checklistMeeting = (met: readonly string[]): TCertificationChecklist =>
  Object.fromEntries(CERTIFICATION_CRITERIA.map((criterion) => [criterion, met.includes(criterion)])) as TCertificationChecklist;
export const ZCertifyPartnerSchema = z.object({
  reviewer: ZActorSchema,
  checklist: ZCertificationChecklistSchema,
  note: z.string().max(2000).optional(),
});
/** Records the representative cannot give through the attestation form: staff record what the agency supplied. */
export const ZRecordAgencyRecordSchema = z.object({
  kind: z
    .enum(AGENCY_RECORD_KINDS)
    .refine((kind) => kind !== 'safety_attestation', 'safety_attestation is signed by the agency representative, not recorded'),
  by: ZActorSchema,
  /** What the agency affirmed, agreed or described, in its words. */
  statement: z.string().trim().min(10, 'must say what the agency affirmed or described (at least 10 characters)').max(4000),
  documentSha256: ZSha256Schema.optional(),
  /** For records renewed each school year; defaults to the current one. */
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027')
    .optional(),
  /** How it reached the office: staff typed it (`cli`, `dashboard`) or the representative affirmed it (`web`, `email_reply`). */
  method: z.enum(['cli', 'dashboard', 'web', 'email_reply']).optional(),
  /** The representative's title, typed when affirming. */
  title: ZNameSchema.optional(),
  /** The request affirmed (by link or reply): refused when a resend replaced it. */
  requestNumber: z.number().int().positive().optional(),
});
export const ZTerminatePartnerSchema = z.object({ by: ZActorSchema, reason: ZReasonSchema });
export const ZRejectPartnerSchema = z.object({ reviewer: ZActorSchema, reason: ZReasonSchema });
export const ZWithdrawPartnerSchema = z.object({ by: ZActorSchema, reason: ZReasonSchema });
export const ZSignAttestationSchema = z.object({
  name: ZNameSchema,
  title: ZNameSchema,
  email: ZEmailSchema,
  consent: z.literal(true, { error: 'must be true: the representative agrees to sign electronically' }),
  documentSha256: ZSha256Schema,
  ipAddress: z.string().max(100).optional(),
  userAgent: z.string().max(500).optional(),
  /** How the representative signed (default `cli`: recorded by staff). */
  method: z.enum(['cli', 'link', 'email_reply', 'dashboard']).optional(),
});
export const ZResendAttestationRequestSchema = z.object({ by: ZActorSchema });
export const ZRecordAttestationViewSchema = z.object({
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027'),
  requestNumber: z.number().int().positive(),
});
/** The agency record kinds the representative affirms (the safety attestation is signed instead). */
export const ZAffirmedKindSchema = z.enum(AGENCY_RECORD_KINDS).exclude(['safety_attestation'], {
  error: 'must be background_check_affirmation, data_sharing_agreement or photo_video_consent_practice',
});
export const ZResendAgencyRecordRequestSchema = z.object({ by: ZActorSchema, kind: ZAffirmedKindSchema });
export const ZRecordAgencyRecordViewSchema = z.object({
  kind: ZAffirmedKindSchema,
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027')
    .nullable(),
  requestNumber: z.number().int().positive(),
});
export type TResendAgencyRecordRequest = z.infer<typeof ZResendAgencyRecordRequestSchema>;
export type TRecordAgencyRecordView = z.infer<typeof ZRecordAgencyRecordViewSchema>;
export type TResendAttestationRequest = z.infer<typeof ZResendAttestationRequestSchema>;
export type TRecordAttestationView = z.infer<typeof ZRecordAttestationViewSchema>;
export type TStartReview = z.infer<typeof ZStartReviewSchema>;
export type TCertifyPartner = z.infer<typeof ZCertifyPartnerSchema>;
export type TRejectPartner = z.infer<typeof ZRejectPartnerSchema>;
export type TWithdrawPartner = z.infer<typeof ZWithdrawPartnerSchema>;
export type TSignAttestation = z.infer<typeof ZSignAttestationSchema>;
export type TRecordAgencyRecord = z.infer<typeof ZRecordAgencyRecordSchema>;
export type TTerminatePartner = z.infer<typeof ZTerminatePartnerSchema>;

/** What a registration must look like to be recorded: signals cannot be refused, so a malformed one is ignored. */
export const ZContractRegistrationSchema = z.object({
  contractWorkflowId: z.string().regex(/^contract-[a-z0-9][a-z0-9-]{2,63}$/, 'must be a contract workflow id'),
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027')
    .optional(),
  category: z.enum(PARTNERSHIP_CATEGORIES).optional(),
  needs: z.array(z.enum(AGENCY_RECORD_KINDS)).optional(),
});

/** A contract announces itself and what it needs from the agency for its school year. */
export interface TContractRegistration {
  contractWorkflowId: string;
  schoolYear?: string;
  category?: TPartnershipCategory;
  needs?: TAgencyRecordKind[];
}

export interface TAgencyRecord {
  kind: TAgencyRecordKind;
  /** Set for records renewed each school year. */
  schoolYear: string | null;
  by: string;
  at: string;
  statement: string;
  documentSha256?: string;
  method?: 'cli' | 'dashboard' | 'web' | 'email_reply';
  title?: string;
}

/** An agency record asked of the representative by email (`/affirm/<token>`). */
export interface TAgencyRecordRequest {
  kind: Exclude<TAgencyRecordKind, 'safety_attestation'>;
  /** Set for records renewed each school year. */
  schoolYear: string | null;
  requestedAt: string;
  /** When its link stops working. */
  deadline: string;
  /** Reminders sent for this request (absent: none, or sent before reminders existed). */
  reminders?: number;
  /** Set once its link and reply address expired without an affirmation. */
  expiredAt?: string;
  /** Set once the page was opened with its link. */
  viewedAt?: string;
}

/** A record on file, as contracts see it. */
export interface TRecordOnFile {
  kind: TAgencyRecordKind;
  schoolYear: string | null;
}

export interface TAttestationRecord {
  signedBy: { name: string; title: string; email: string };
  signedAt: string;
  /** Absent on attestations signed before attestations were per school year. */
  schoolYear?: string;
  ipAddress?: string;
  userAgent?: string;
  /** How it was signed (absent on attestations signed before it was kept). */
  method?: TSignAttestation['method'];
  document: TDocumentRef;
  /** The form, its signature page and certificate of completion, digitally signed by the district. */
  sealed?: TDocumentRef;
}

export interface TAttestationRequest {
  schoolYear: string;
  document: TDocumentRef;
  requestedAt: string;
  /** Reminders sent for this request (absent: none, or sent before reminders existed). */
  reminders?: number;
  /** Set once its link and reply address expired unsigned. */
  expiredAt?: string;
  /** Set once the page was opened with its link. */
  viewedAt?: string;
}

/** What a standing must look like to be recorded by a contract (a malformed one is ignored). */
export const ZPartnerStandingSchema = z.object({
  partnerId: ZIdSchema,
  organizationName: z.string(),
  stage: z.enum(PARTNER_STAGES),
  attestationSignedAt: z.string().nullable(),
  recordsOnFile: z.array(z.object({ kind: z.enum(AGENCY_RECORD_KINDS), schoolYear: z.string().nullable() })).optional(),
  endedReason: z.string().optional(),
});

/** What a contract needs to know about its partner to leave awaiting_prerequisites. */
export interface TPartnerStanding {
  partnerId: string;
  organizationName: string;
  stage: TPartnerStage;
  /** The latest attestation signature (kept for contracts started before records were per school year). */
  attestationSignedAt: string | null;
  recordsOnFile?: TRecordOnFile[];
  /** Why the partnership ended (withdrawal or termination). */
  endedReason?: string;
}

export interface TPartnerStatus {
  partnerId: string;
  organizationName: string;
  representative: TPartnerApplication['representative'];
  services: TPartnerApplication['services'];
  categories: TPartnershipCategory[];
  /** From the online form (absent on applications taken by staff). */
  interests?: string;
  programDescription?: string;
  criteriaAffirmed?: TCertificationCriterion[];
  stage: TPartnerStage;
  certification: { by: string; at: string; note?: string; checklist?: TCertificationChecklist } | null;
  attestationRequests: TAttestationRequest[];
  attestations: TAttestationRecord[];
  records: TAgencyRecord[];
  /** Absent on partners started before records were asked for by email. */
  recordRequests?: TAgencyRecordRequest[];
  endedReason: string | null;
  contracts: string[];
  history: THistoryEntry[];
}

export interface TPartnerWorkflowInput {
  application: TPartnerApplication;
  /** The policy the partner applied under (district name, attestation text). */
  policy: TPolicy;
  /** Present when the workflow continues as new: the state it carries over. */
  carriedOver?: TPartnerStatus;
  /** Continue as new once the history has this many events (default 2,000), or when the server suggests it. */
  continueAsNewAfterEvents?: number;
}

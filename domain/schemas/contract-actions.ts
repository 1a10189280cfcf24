import { z } from 'zod';
import { SIGNER_ROLES, type TSignerRole } from '../vocabulary';
import { ZActorSchema, ZAmountCentsSchema, ZEmailSchema, ZIdSchema, ZNameSchema, ZReasonSchema, ZSha256Schema } from './common';
import { ZSchoolListSchema } from './contract-request';

/** What the contract workflow's updates take: approvals, signatures, declines, amendments, renewals, program starts. */
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
export const ZAmendContractSchema = z.object({
  by: ZActorSchema,
  addSchools: ZSchoolListSchema,
  note: z.string().trim().max(2000).optional(),
});
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

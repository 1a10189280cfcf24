import { z } from 'zod';
import { AGENCY_RECORD_KINDS } from '../vocabulary';
import { ZDocumentRefSchema, ZEmailSchema } from './common';

/** The facts about a contract that every email about it shows. */
export const ZContractSummarySchema = z.object({
  contractId: z.string(),
  programName: z.string(),
  organizationName: z.string(),
  schools: z.array(z.string()),
  routeLabel: z.string(),
  amountCents: z.number().int().min(0),
  startDate: z.string(),
  endDate: z.string(),
  district: z.string(),
  /** The agreement's name under the route ("Memorandum of Understanding"). */
  documentTitle: z.string().default('Partnership contract'),
  schoolYear: z.string().optional(),
});
export type TContractSummary = z.infer<typeof ZContractSummarySchema>;

const base = {
  /** Same key, same email: a retried send never mails twice. */
  idempotencyKey: z.string().min(1).max(300),
  to: z.array(ZEmailSchema).min(1),
  cc: z.array(ZEmailSchema).default([]),
  attachments: z.array(ZDocumentRefSchema).default([]),
  /** The district's own wording from the policy (placeholders already filled in). */
  customText: z.object({ subject: z.string().optional(), intro: z.string().optional() }).optional(),
};

export const ZNotificationSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('attestation_request'),
    organizationName: z.string(),
    representativeName: z.string(),
    partnerId: z.string(),
    district: z.string(),
    documentSha256: z.string(),
    schoolYear: z.string().optional(),
    /** Which request for the school year this is (a resend is the next); its link and reply address name it. */
    requestNumber: z.number().int().positive().default(1),
    /** When the link and reply address stop working; by default the policy's signature expiry from sending. */
    deadline: z.string().optional(),
    reminderNumber: z.number().int().min(0).default(0),
  }),
  z.object({
    ...base,
    kind: z.literal('attestation_signed'),
    organizationName: z.string(),
    representativeName: z.string(),
    partnerId: z.string(),
    schoolYear: z.string(),
    signedAt: z.string(),
    documentSha256: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('agency_record_request'),
    organizationName: z.string(),
    representativeName: z.string(),
    partnerId: z.string(),
    district: z.string(),
    recordKind: z.enum(AGENCY_RECORD_KINDS).exclude(['safety_attestation']),
    /** For records renewed each school year. */
    schoolYear: z.string().nullable(),
    /** The policy's statement the representative is asked to affirm. */
    statement: z.string(),
    requestNumber: z.number().int().positive(),
    deadline: z.string(),
    reminderNumber: z.number().int().min(0).default(0),
  }),
  z.object({
    ...base,
    kind: z.literal('signature_request'),
    contract: ZContractSummarySchema,
    signerName: z.string(),
    signerRole: z.enum(['partner', 'district']),
    requestNumber: z.number().int().positive(),
    deadline: z.string(),
    documentSha256: z.string(),
    reminderNumber: z.number().int().min(0).default(0),
    amendmentNumber: z.number().int().positive().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('contract_executed'),
    contract: ZContractSummarySchema,
    goLiveAt: z.string(),
    amendmentNumber: z.number().int().positive().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('contract_live'),
    contract: ZContractSummarySchema,
  }),
  z.object({
    ...base,
    kind: z.literal('contract_closed'),
    contract: ZContractSummarySchema,
    stage: z.enum(['expired', 'declined', 'voided', 'terminated']),
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('approval_request'),
    contract: ZContractSummarySchema,
    approverEmail: z.string(),
    initiatedBy: z.string(),
    /** Set by contracts that take approval by link and reply: the request the token names, and its expiry. */
    requestNumber: z.number().int().positive().optional(),
    deadline: z.string().optional(),
    reminderNumber: z.number().int().min(0).default(0),
  }),
  z.object({
    ...base,
    kind: z.literal('approval_sent_back'),
    contract: ZContractSummarySchema,
    sentBackBy: z.string(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    kind: z.literal('renewal_request'),
    contract: ZContractSummarySchema,
    nextSchoolYear: z.string(),
    decideBy: z.string(),
    reminderNumber: z.number().int().min(0).default(0),
  }),
]);
export type TNotification = z.input<typeof ZNotificationSchema>;
export type TParsedNotification = z.output<typeof ZNotificationSchema>;

import { z } from 'zod';
import type { TPolicy } from '../policy';
import { SERVICE_TYPES, type TPartnerStage } from '../vocabulary';
import {
  ZActorSchema,
  ZEmailSchema,
  ZIdSchema,
  ZNameSchema,
  ZPersonSchema,
  ZReasonSchema,
  ZSha256Schema,
  type TDocumentRef,
  type THistoryEntry,
} from './common';

export const ZPartnerApplicationSchema = z.object({
  partnerId: ZIdSchema,
  organizationName: ZNameSchema,
  /** The approved agency representative: receives agency-level requests and signs the attestation. */
  representative: ZPersonSchema.extend({ title: ZNameSchema }),
  services: z.array(z.enum(SERVICE_TYPES)).min(1, 'needs at least one service type'),
});
export type TPartnerApplication = z.infer<typeof ZPartnerApplicationSchema>;

export const ZStartReviewSchema = z.object({ reviewer: ZActorSchema });
export const ZCertifyPartnerSchema = z.object({ reviewer: ZActorSchema, note: z.string().max(2000).optional() });
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
});
export type TStartReview = z.infer<typeof ZStartReviewSchema>;
export type TCertifyPartner = z.infer<typeof ZCertifyPartnerSchema>;
export type TRejectPartner = z.infer<typeof ZRejectPartnerSchema>;
export type TWithdrawPartner = z.infer<typeof ZWithdrawPartnerSchema>;
export type TSignAttestation = z.infer<typeof ZSignAttestationSchema>;

export interface TAttestationRecord {
  signedBy: { name: string; title: string; email: string };
  signedAt: string;
  ipAddress?: string;
  userAgent?: string;
  document: TDocumentRef;
}

/** What a contract needs to know about its partner to leave awaiting_prerequisites. */
export interface TPartnerStanding {
  partnerId: string;
  organizationName: string;
  stage: TPartnerStage;
  attestationSignedAt: string | null;
}

export interface TPartnerStatus {
  partnerId: string;
  organizationName: string;
  representative: TPartnerApplication['representative'];
  services: TPartnerApplication['services'];
  stage: TPartnerStage;
  certification: { by: string; at: string; note?: string } | null;
  attestationDocument: TDocumentRef | null;
  attestation: TAttestationRecord | null;
  contracts: string[];
  history: THistoryEntry[];
}

export interface TPartnerWorkflowInput {
  application: TPartnerApplication;
  /** The policy the partner applied under (district name, attestation text). */
  policy: TPolicy;
  /** Present when the workflow continues as new: the state it carries over. */
  carriedOver?: TPartnerStatus;
}

import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, verifyPurposeToken } from './purpose-token';

/** A partner's read-only status page link: bound to the partner and its representative's address. */
export const ZPartnerStatusClaimsSchema = z.object({ p: ZIdSchema, e: ZEmailSchema, x: z.number().int().positive() });
export type TPartnerStatusClaims = z.infer<typeof ZPartnerStatusClaimsSchema>;

/** How long a status link works; every email to the partner carries a fresh one, and /partner re-issues it. */
export const PARTNER_STATUS_LINK_DAYS = 90;

export function createPartnerStatusToken(partnerId: string, email: string, secret: string, nowMs: number): string {
  const x = Math.floor(nowMs / 1000) + PARTNER_STATUS_LINK_DAYS * 86_400;
  return createPurposeToken('partner-status', ZPartnerStatusClaimsSchema, { p: partnerId, e: email.toLowerCase(), x }, secret);
}

export const verifyPartnerStatusToken = (token: string, secret: string, nowMs: number) =>
  verifyPurposeToken('partner-status', ZPartnerStatusClaimsSchema, token, secret, nowMs);

/** `<publicUrl>/partner/<token>` */
export const partnerStatusUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/$/, '')}/partner/${token}`;

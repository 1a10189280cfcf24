import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, decodeClaims, verifyPurposeToken } from './purpose-token';

/** A partner's read-only status page link: bound to the partner and its representative's address. */
export const ZPartnerStatusWireSchema = z.object({ p: ZIdSchema, e: ZEmailSchema, x: z.number().int().positive() });

export interface TPartnerStatusClaims {
  partnerId: string;
  /** The representative's address, lower case. */
  email: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** How long a status link works; every email to the partner carries a fresh one, and /partner re-issues it. */
export const PARTNER_STATUS_LINK_DAYS = 90;

export function createPartnerStatusToken(partnerId: string, email: string, secret: string, nowMs: number): string {
  const x = Math.floor(nowMs / 1000) + PARTNER_STATUS_LINK_DAYS * 86_400;
  return createPurposeToken('partner-status', ZPartnerStatusWireSchema, { p: partnerId, e: email.toLowerCase(), x }, secret);
}

export const verifyPartnerStatusToken = (token: string, secret: string, nowMs: number) =>
  decodeClaims(verifyPurposeToken('partner-status', ZPartnerStatusWireSchema, token, secret, nowMs), (wire): TPartnerStatusClaims => ({
    partnerId: wire.p,
    email: wire.e,
    expiresAt: wire.x,
  }));

/** `<publicUrl>/partner/<token>` */
export const partnerStatusUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/$/, '')}/partner/${token}`;

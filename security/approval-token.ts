import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, decodeClaims, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/**
 * What an approval link or reply address grants: answering one approval request (approve or send back) of one
 * contract, as its approver, until the request's deadline. Short keys on the wire keep links short.
 */
export const ZApprovalWireSchema = z.object({
  c: ZIdSchema,
  e: ZEmailSchema,
  n: z.number().int().positive(),
  x: z.number().int().positive(),
});
type TApprovalWire = z.infer<typeof ZApprovalWireSchema>;

export interface TApprovalClaims {
  contractId: string;
  /** The approver's address. */
  email: string;
  requestNumber: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The claims as the token carries them (tests build damaged tokens from it). */
export const approvalClaimsToWire = (claims: TApprovalClaims): TApprovalWire => ({
  c: claims.contractId,
  e: claims.email,
  n: claims.requestNumber,
  x: claims.expiresAt,
});
const fromWire = (wire: TApprovalWire): TApprovalClaims => ({
  contractId: wire.c,
  email: wire.e,
  requestNumber: wire.n,
  expiresAt: wire.x,
});

export const createApprovalToken = (claims: TApprovalClaims, secret: string): string =>
  createPurposeToken('approval', ZApprovalWireSchema, approvalClaimsToWire(claims), secret);

export const verifyApprovalToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TApprovalClaims> =>
  decodeClaims(verifyPurposeToken('approval', ZApprovalWireSchema, token, secret, nowMs), fromWire);

import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/**
 * What an approval link or reply address grants: answering one approval request (approve or send back) of one
 * contract, as its approver, until the request's deadline. Short keys keep links short.
 */
export const ZApprovalClaimsSchema = z.object({
  c: ZIdSchema,
  e: ZEmailSchema,
  n: z.number().int().positive(),
  x: z.number().int().positive(),
});
export type TApprovalClaims = z.infer<typeof ZApprovalClaimsSchema>;

export const createApprovalToken = (claims: TApprovalClaims, secret: string): string =>
  createPurposeToken('approval', ZApprovalClaimsSchema, claims, secret);

export const verifyApprovalToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TApprovalClaims> =>
  verifyPurposeToken('approval', ZApprovalClaimsSchema, token, secret, nowMs);

import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { AGENCY_RECORD_KINDS } from '../domain/vocabulary';
import { createPurposeToken, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/**
 * What an affirmation link grants: affirming one agency record of one partner (for one school year when the kind is
 * renewed each year, else `null`), by the representative it was sent to, for one request, until a moment.
 */
export const ZAgencyRecordClaimsSchema = z.object({
  p: ZIdSchema,
  k: z.enum(AGENCY_RECORD_KINDS).exclude(['safety_attestation']),
  y: z.string().regex(/^\d{4}-\d{4}$/).nullable(),
  e: ZEmailSchema,
  n: z.number().int().positive(),
  x: z.number().int().positive(),
});
export type TAgencyRecordClaims = z.infer<typeof ZAgencyRecordClaimsSchema>;

export const createAgencyRecordToken = (claims: TAgencyRecordClaims, secret: string): string =>
  createPurposeToken('agency-record', ZAgencyRecordClaimsSchema, claims, secret);

export const verifyAgencyRecordToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TAgencyRecordClaims> =>
  verifyPurposeToken('agency-record', ZAgencyRecordClaimsSchema, token, secret, nowMs);

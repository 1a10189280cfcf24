import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { AGENCY_RECORD_KINDS } from '../domain/vocabulary';
import { createPurposeToken, decodeClaims, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/**
 * What an affirmation link grants: affirming one agency record of one partner (for one school year when the kind is
 * renewed each year, else `null`), by the representative it was sent to, for one request, until a moment.
 * Short keys on the wire keep links short.
 */
export const ZAgencyRecordWireSchema = z.object({
  p: ZIdSchema,
  k: z.enum(AGENCY_RECORD_KINDS).exclude(['safety_attestation']),
  y: z
    .string()
    .regex(/^\d{4}-\d{4}$/)
    .nullable(),
  e: ZEmailSchema,
  n: z.number().int().positive(),
  x: z.number().int().positive(),
});
type TAgencyRecordWire = z.infer<typeof ZAgencyRecordWireSchema>;

export interface TAgencyRecordClaims {
  partnerId: string;
  kind: TAgencyRecordWire['k'];
  schoolYear: string | null;
  /** The representative's address. */
  email: string;
  requestNumber: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The claims as the token carries them (tests build damaged tokens from it). */
export const agencyRecordClaimsToWire = (claims: TAgencyRecordClaims): TAgencyRecordWire => ({
  p: claims.partnerId,
  k: claims.kind,
  y: claims.schoolYear,
  e: claims.email,
  n: claims.requestNumber,
  x: claims.expiresAt,
});
const fromWire = (wire: TAgencyRecordWire): TAgencyRecordClaims => ({
  partnerId: wire.p,
  kind: wire.k,
  schoolYear: wire.y,
  email: wire.e,
  requestNumber: wire.n,
  expiresAt: wire.x,
});

export const createAgencyRecordToken = (claims: TAgencyRecordClaims, secret: string): string =>
  createPurposeToken('agency-record', ZAgencyRecordWireSchema, agencyRecordClaimsToWire(claims), secret);

export const verifyAgencyRecordToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TAgencyRecordClaims> =>
  decodeClaims(verifyPurposeToken('agency-record', ZAgencyRecordWireSchema, token, secret, nowMs), fromWire);

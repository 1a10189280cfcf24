import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, decodeClaims, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/** Hex characters of the form's SHA-256 a token carries: 128 bits name the form and keep reply addresses short. */
export const ATTESTATION_HASH_PREFIX = 32;

/**
 * What an attestation link or reply address grants: signing one partner's attestation form (by its hash) for one
 * school year, by the representative it was sent to, for one request, until a moment. Short keys on the wire keep
 * links short.
 */
export const ZAttestationWireSchema = z.object({
  p: ZIdSchema,
  y: z.string().regex(/^\d{4}-\d{4}$/),
  e: ZEmailSchema,
  n: z.number().int().positive(),
  h: z.string().regex(new RegExp(`^[0-9a-f]{${ATTESTATION_HASH_PREFIX}}$`)),
  x: z.number().int().positive(),
});
type TAttestationWire = z.infer<typeof ZAttestationWireSchema>;

export interface TAttestationClaims {
  partnerId: string;
  schoolYear: string;
  /** The representative's address. */
  email: string;
  requestNumber: number;
  /** The first ATTESTATION_HASH_PREFIX hex characters of the form's SHA-256 (attestationHashOf). */
  formHash: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The claims as the token carries them (tests build tampered tokens from it). */
export const attestationClaimsToWire = (claims: TAttestationClaims): TAttestationWire => ({
  p: claims.partnerId,
  y: claims.schoolYear,
  e: claims.email,
  n: claims.requestNumber,
  h: claims.formHash,
  x: claims.expiresAt,
});
const fromWire = (wire: TAttestationWire): TAttestationClaims => ({
  partnerId: wire.p,
  schoolYear: wire.y,
  email: wire.e,
  requestNumber: wire.n,
  formHash: wire.h,
  expiresAt: wire.x,
});

export const attestationHashOf = (sha256: string): string => sha256.slice(0, ATTESTATION_HASH_PREFIX);

export const createAttestationToken = (claims: TAttestationClaims, secret: string): string =>
  createPurposeToken('attestation', ZAttestationWireSchema, attestationClaimsToWire(claims), secret);

/** The token of one attestation request, as its email's link (`/attest/<token>`) and reply address carry it. */
export const createAttestationRequestToken = (
  request: { partnerId: string; schoolYear: string; email: string; requestNumber: number; documentSha256: string; deadline: string },
  secret: string,
): string =>
  createAttestationToken(
    {
      partnerId: request.partnerId,
      schoolYear: request.schoolYear,
      email: request.email,
      requestNumber: request.requestNumber,
      formHash: attestationHashOf(request.documentSha256),
      expiresAt: Math.floor(Date.parse(request.deadline) / 1000),
    },
    secret,
  );

export const verifyAttestationToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TAttestationClaims> =>
  decodeClaims(verifyPurposeToken('attestation', ZAttestationWireSchema, token, secret, nowMs), fromWire);

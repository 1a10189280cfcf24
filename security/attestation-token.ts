import { z } from 'zod';
import { ZEmailSchema, ZIdSchema } from '../domain/schemas/common';
import { createPurposeToken, verifyPurposeToken, type TPurposeTokenCheck } from './purpose-token';

/** Hex characters of the form's SHA-256 a token carries: 128 bits name the form and keep reply addresses short. */
export const ATTESTATION_HASH_PREFIX = 32;

/**
 * What an attestation link or reply address grants: signing one partner's attestation form (by its hash) for one
 * school year, by the representative it was sent to, for one request, until a moment. Short keys keep links short.
 */
export const ZAttestationClaimsSchema = z.object({
  p: ZIdSchema,
  y: z.string().regex(/^\d{4}-\d{4}$/),
  e: ZEmailSchema,
  n: z.number().int().positive(),
  h: z.string().regex(new RegExp(`^[0-9a-f]{${ATTESTATION_HASH_PREFIX}}$`)),
  x: z.number().int().positive(),
});
export type TAttestationClaims = z.infer<typeof ZAttestationClaimsSchema>;

export const attestationHashOf = (sha256: string): string => sha256.slice(0, ATTESTATION_HASH_PREFIX);

export const createAttestationToken = (claims: TAttestationClaims, secret: string): string =>
  createPurposeToken('attestation', ZAttestationClaimsSchema, claims, secret);

/** The token of one attestation request, as its email's link (`/attest/<token>`) and reply address carry it. */
export const createAttestationRequestToken = (
  request: { partnerId: string; schoolYear: string; email: string; requestNumber: number; documentSha256: string; deadline: string },
  secret: string,
): string =>
  createAttestationToken(
    {
      p: request.partnerId,
      y: request.schoolYear,
      e: request.email,
      n: request.requestNumber,
      h: attestationHashOf(request.documentSha256),
      x: Math.floor(Date.parse(request.deadline) / 1000),
    },
    secret,
  );

export const verifyAttestationToken = (token: string, secret: string, nowMs: number): TPurposeTokenCheck<TAttestationClaims> =>
  verifyPurposeToken('attestation', ZAttestationClaimsSchema, token, secret, nowMs);

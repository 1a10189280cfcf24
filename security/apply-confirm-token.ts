import { z } from 'zod';
import { ZEmailSchema, ZSha256Schema } from '../domain/schemas/common';
import { createPurposeToken, decodeClaims, verifyPurposeToken } from './purpose-token';

/**
 * The link that confirms an online application: the SHA-256 of the application kept in the document store (the
 * application itself, up to ~3 KB with its description, would make the link too long) and the address it was
 * sent to. The hash also means the stored application cannot be swapped for another.
 */
export const ZApplyConfirmWireSchema = z.object({ h: ZSha256Schema, e: ZEmailSchema, x: z.number().int().positive() });

export interface TApplyConfirmClaims {
  /** The SHA-256 of the application kept in the document store. */
  applicationSha256: string;
  email: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** How long a confirmation link works. */
export const APPLY_CONFIRM_HOURS = 48;

export function createApplyConfirmToken(sha256: string, email: string, secret: string, nowMs: number): string {
  const x = Math.floor(nowMs / 1000) + APPLY_CONFIRM_HOURS * 3600;
  return createPurposeToken('apply-confirm', ZApplyConfirmWireSchema, { h: sha256, e: email, x }, secret);
}

export const verifyApplyConfirmToken = (token: string, secret: string, nowMs: number) =>
  decodeClaims(verifyPurposeToken('apply-confirm', ZApplyConfirmWireSchema, token, secret, nowMs), (wire): TApplyConfirmClaims => ({
    applicationSha256: wire.h,
    email: wire.e,
    expiresAt: wire.x,
  }));

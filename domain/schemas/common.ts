import { z } from 'zod';

export const ZIdSchema = z
  // An id left out is "required" wherever it is reported, not zod's "expected string, received undefined".
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : undefined) })
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be 3-64 characters of lowercase letters, digits and dashes');

export const ZNameSchema = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
export const ZEmailSchema = z.email({ error: 'must be an email address' }).max(254);
export const ZPhoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9(][0-9 ().-]{5,28}[0-9](?: ?(?:x|ext\.?) ?[0-9]{1,6})?$/i, 'must be a phone number such as 612-668-0542');
/**
 * The largest contract amount, in dollars: the one place the schemas and the CLI's message take it from. Running
 * contracts' inputs are parsed again on replay, so it may be raised but never lowered.
 */
export const MAX_AMOUNT_DOLLARS = 100_000_000;
export const ZAmountCentsSchema = z
  .number({ error: 'must be an amount in whole cents (a number)' })
  .int('must be whole cents')
  .min(0, 'must not be negative')
  .max(MAX_AMOUNT_DOLLARS * 100, `must be at most ${MAX_AMOUNT_DOLLARS * 100} cents (${MAX_AMOUNT_DOLLARS} dollars)`);

export const ZSha256Schema = z.string().regex(/^[a-f0-9]{64}$/, 'must be a SHA-256 hex digest');

export const ZPersonSchema = z.object({
  name: ZNameSchema,
  email: ZEmailSchema,
  title: ZNameSchema.optional(),
});
export type TPerson = z.infer<typeof ZPersonSchema>;

/** Who did something, as shown on timelines. */
export const ZActorSchema = z.object({ name: ZNameSchema, email: ZEmailSchema.optional() });
export type TActor = z.infer<typeof ZActorSchema>;

export const ZReasonSchema = z.string().trim().min(3, 'must say why (at least 3 characters)').max(2000);

export const ZDocumentRefSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['contract', 'executed_contract', 'attestation', 'application']),
  filename: z.string().min(1),
  sha256: ZSha256Schema,
  size: z.number().int().positive(),
  /** Executed documents: the subject of the certificate whose digital signature (PAdES) the file carries. */
  signedBy: z.string().min(1).optional(),
});
export type TDocumentRef = z.infer<typeof ZDocumentRefSchema>;

export interface THistoryEntry {
  at: string;
  event: string;
  stage: string;
  actor?: string;
  detail?: string;
}

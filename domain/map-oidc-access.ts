import { z } from 'zod';
import { ZStaffAccessSchema, type TStaffAccess } from './staff-access';

/**
 * How an identity-provider user gets a role: the value(s) of one claim of the ID token (a role claim such as
 * Entra's `roles`, a group claim such as `groups`, or `email`) looked up in `map`. The first entry of `map` the user
 * has wins, so list the widest role first. A user matching none is refused.
 */
export const ZOidcRoleMappingSchema = z.object({
  claim: z.string().min(1, 'names the ID token claim that decides the role, e.g. groups, roles or email').max(100),
  map: z
    .record(z.string().min(1).max(500), ZStaffAccessSchema)
    .refine((map) => Object.keys(map).length > 0, 'maps at least one claim value to an access, e.g. {"cpo-staff": {"role": "cpo"}}'),
});
export type TOidcRoleMapping = z.infer<typeof ZOidcRoleMappingSchema>;

/** The access of the first mapped value the claim holds (a string or a list of strings), or null. */
export function mapOidcAccess(mapping: TOidcRoleMapping, claims: Record<string, unknown>): TStaffAccess | null {
  const raw = claims[mapping.claim];
  const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string');
  const held = new Set(values.map((value) => value.toLowerCase()));
  const match = Object.entries(mapping.map).find(([value]) => held.has(value.toLowerCase()));
  return match ? match[1] : null;
}

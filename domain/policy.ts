import { z } from 'zod';
import { ZDurationSchema } from './durations';

const ZKeySchema = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, 'must be a lower_snake_case key');

export const ZOfficeSchema = z.object({
  label: z.string().min(1),
  signerName: z.string().min(1),
  email: z.email(),
});
export type TOffice = z.infer<typeof ZOfficeSchema>;

/** Who acts for the district on a route: the paying department named on the contract, or an office of the policy. */
const ZDistrictPartySchema = z.union([z.literal('paying_department'), ZKeySchema]);

export const ZRoutePolicySchema = z.object({
  label: z.string().min(1),
  description: z.string().min(1),
  initiatedBy: ZDistrictPartySchema,
  districtSigner: ZDistrictPartySchema,
  /** positive: the district pays; zero: the partner brings its own funding; any: either. */
  amount: z.enum(['positive', 'zero', 'any']),
});
export type TRoutePolicy = z.infer<typeof ZRoutePolicySchema>;

export const ZPolicySchema = z
  .object({
    policyId: ZKeySchema,
    version: z.string().min(1),
    district: z.string().min(1),
    timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone such as America/Chicago'),
    offices: z.record(ZKeySchema, ZOfficeSchema),
    routes: z.record(ZKeySchema, ZRoutePolicySchema).refine((routes) => Object.keys(routes).length > 0, 'needs at least one route'),
    signature: z.object({
      remindEvery: ZDurationSchema,
      expireAfter: ZDurationSchema,
    }),
    /** The first day of every school year (MM-DD); contracts end with the school year. */
    schoolYear: z
      .object({ startsOn: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a month and day written MM-DD') })
      .default({ startsOn: '07-01' }),
    attestation: z.object({
      title: z.string().min(1),
      statements: z.array(z.string().min(1)).min(1),
    }),
  })
  .superRefine((policy, ctx) => {
    for (const [routeKey, route] of Object.entries(policy.routes)) {
      for (const field of ['initiatedBy', 'districtSigner'] as const) {
        const party = route[field];
        if (party !== 'paying_department' && !(party in policy.offices)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', routeKey, field],
            message: `names office "${party}", which is not in offices (${Object.keys(policy.offices).join(', ')})`,
          });
        }
      }
    }
  });
export type TPolicy = z.infer<typeof ZPolicySchema>;

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

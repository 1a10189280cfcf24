import { z } from 'zod';
import { CERTIFICATION_CRITERIA } from '../vocabulary';
import { ZPhoneSchema } from './common';
import { ZPartnerApplicationSchema } from './partner';

const { representative, interests, programDescription, criteriaAffirmed } = ZPartnerApplicationSchema.shape;

/**
 * An application made on the public form: `cpo partner apply`'s schema without the partner id (made from the
 * organization name on confirmation), and what the form asks that staff may leave out is required here. Fields,
 * not a refinement, so every problem is reported at once, beside its field.
 */
export const ZOnlineApplicationSchema = ZPartnerApplicationSchema.omit({ partnerId: true }).extend({
  representative: representative.extend({ phone: ZPhoneSchema }),
  interests: interests.unwrap().min(1, 'is required: name the schools or areas you want to serve'),
  programDescription: programDescription.unwrap().min(20, 'must describe the program (at least 20 characters)'),
  criteriaAffirmed: criteriaAffirmed
    .unwrap()
    .refine(
      (affirmed) => CERTIFICATION_CRITERIA.every((criterion) => affirmed.includes(criterion)),
      'must affirm every criterion: a Certified Community Partner meets them all (ask the office if one does not apply to you)',
    ),
});
export type TOnlineApplication = z.output<typeof ZOnlineApplicationSchema>;

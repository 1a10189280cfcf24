import { z } from 'zod';
import { CERTIFICATION_CRITERIA } from '../vocabulary';
import { ZPartnerApplicationSchema } from './partner';

/**
 * An application made on the public form: `cpo partner apply`'s schema without the partner id (made from the
 * organization name on confirmation), and what the form asks that staff may leave out is required here.
 */
export const ZOnlineApplicationSchema = ZPartnerApplicationSchema.omit({ partnerId: true }).superRefine((application, ctx) => {
  const require = (present: boolean, path: (string | number)[], message: string): void => {
    if (!present) ctx.addIssue({ code: 'custom', path, message });
  };
  require(Boolean(application.representative.phone), ['representative', 'phone'], 'is required');
  require(Boolean(application.interests), ['interests'], 'is required: name the schools or areas you want to serve');
  require((application.programDescription ?? '').length >= 20, ['programDescription'], 'must describe the program (at least 20 characters)');
  const affirmed = new Set(application.criteriaAffirmed ?? []);
  require(
    CERTIFICATION_CRITERIA.every((criterion) => affirmed.has(criterion)),
    ['criteriaAffirmed'],
    'must affirm every criterion: a Certified Community Partner meets them all (ask the office if one does not apply to you)',
  );
});
export type TOnlineApplication = z.output<typeof ZOnlineApplicationSchema>;


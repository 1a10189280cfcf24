import type { TCpoContext } from '../../client/context';
import { applyPartner, certifyPartner, getPartnerStatus, signAttestation, startPartnerReview } from '../../client/partners';
import { checklistMeeting, type TPartnerApplicationInput } from '../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA } from '../../domain/vocabulary';
import { pollUntil } from './stats';

const REVIEWER = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };

/** Applies a partner; a certified one is reviewed, certified and signs its attestation (as fixtures' readyPartner). */
export async function registerPartner(context: TCpoContext, application: TPartnerApplicationInput, certified: boolean): Promise<void> {
  await applyPartner(context, application);
  if (!certified) return;
  const { partnerId, representative } = application;
  await startPartnerReview(context, partnerId, { reviewer: REVIEWER });
  await certifyPartner(context, partnerId, { reviewer: REVIEWER, checklist: checklistMeeting(CERTIFICATION_CRITERIA) });
  await pollUntil(`attestation form of ${partnerId}`, async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
  await signAttestation(context, partnerId, { ...representative, consent: true });
}

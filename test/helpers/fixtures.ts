import type { TDocumentRef } from '../../domain/schemas/common';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, signContract } from '../../client/contracts';
import { applyPartner, certifyPartner, getPartnerStatus, signAttestation, startPartnerReview } from '../../client/partners';
import type { TTerm } from '../../domain/plan-term';
import type { TContractRequestInput } from '../../domain/schemas/contract';
import { checklistMeeting, type TPartnerApplicationInput } from '../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA } from '../../domain/vocabulary';
import { currentTerm } from './clock';
import { eventually } from './temporal';

export const partnerApplication = (partnerId: string, overrides: Partial<TPartnerApplicationInput> = {}): TPartnerApplicationInput => ({
  partnerId,
  organizationName: 'Hội Người Việt Tutoring',
  representative: { name: 'Lan Nguyễn', title: 'Executive Director', email: `lan@${partnerId}.example` },
  services: ['literacy_tutoring'],
  ...overrides,
});

/** A contract for the whole current school year (so valid on any day), going live on its first day. */
export const contractRequest = (
  contractId: string,
  partnerId: string,
  overrides: Partial<TContractRequestInput> = {},
): TContractRequestInput => ({
  ...termDates(currentTerm()),
  contractId,
  partnerId,
  programName: 'After-school reading circles',
  services: ['literacy_tutoring'],
  schools: ['Anwatin Middle', 'Folwell Middle'],
  route: 'zero_dollar',
  category: 'contracted_partner',
  amountCents: 0,
  initiatedBy: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' },
  partnerSigner: { name: 'Lan Nguyễn', email: `lan@${partnerId}.example`, title: 'Executive Director' },
  ...overrides,
});

/** The contract as an email describes it, for sending a notification directly. */
export const CONTRACT_SUMMARY = {
  contractId: 'c-1',
  programName: 'Chess club',
  organizationName: 'Ururka Haweenka Soomaaliyeed',
  schools: ['Sanford Middle'],
  routeLabel: '$0 contract',
  amountCents: 0,
  startDate: '2026-09-01',
  endDate: '2027-06-10',
  district: 'Minneapolis Public Schools',
};

/** A term's dates as a contract request takes them, going live on the first day. */
export const termDates = (term: TTerm): Pick<TContractRequestInput, 'startDate' | 'endDate' | 'goLiveDate'> => ({
  startDate: term.startDate,
  endDate: term.endDate,
  goLiveDate: term.startDate,
});

export const departmentPaid = {
  route: 'department_paid',
  amountCents: 1_250_000,
  payingDepartment: { name: 'Office of Academics', approverName: 'Dana Approver', approverEmail: 'dana.approver@mpls.k12.mn.us' },
  initiatedBy: { name: 'Dana Approver', email: 'dana.approver@mpls.k12.mn.us' },
} as const;

const reviewer = { name: 'CPO Reviewer', email: 'cpo@mpls.k12.mn.us' };
/** Every criterion of seed 000 answered yes. */
export const ALL_CRITERIA_MET = checklistMeeting(CERTIFICATION_CRITERIA);

/** A certified partner whose attestation form has been emailed and is not signed yet; returns its application. */
export async function certifiedPartner(
  context: TCpoContext,
  partnerId: string,
  overrides: Partial<TPartnerApplicationInput> = {},
): Promise<TPartnerApplicationInput> {
  const application = partnerApplication(partnerId, overrides);
  await applyPartner(context, application);
  await startPartnerReview(context, partnerId, { reviewer });
  await certifyPartner(context, partnerId, { reviewer, checklist: ALL_CRITERIA_MET });
  await eventually(async () => (await getPartnerStatus(context, partnerId)).attestationRequests[0]);
  return application;
}

/** A partner with everything a contract waits for: certified, attestation on file. */
export async function readyPartner(
  context: TCpoContext,
  partnerId: string,
  overrides: Partial<TPartnerApplicationInput> = {},
): Promise<void> {
  const application = await certifiedPartner(context, partnerId, overrides);
  await signAttestation(context, partnerId, { ...application.representative, consent: true });
}

/** The ready partner's representative signs the contract on record (as the office would record it); returns once it waits for the district. */
export async function signAsPartner(context: TCpoContext, contractId: string, partnerId: string): Promise<void> {
  const awaiting = await eventually(async () => {
    const status = await getContractStatus(context, contractId);
    return status.stage === 'awaiting_partner_signature' && status;
  });
  await signContract(context, contractId, {
    role: 'partner',
    name: 'Lan Nguyễn',
    email: `lan@${partnerId}.example`,
    consent: true,
    method: 'cli',
    documentSha256: awaiting.documents.contract!.sha256,
  });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'awaiting_district_signature');
}

/** Partner signature, then the CPO office countersignature ($0 route), then the executed document on record. */
export async function executeContract(context: TCpoContext, contractId: string, partnerEmail: string): Promise<TDocumentRef> {
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'awaiting_partner_signature');
  await signContract(context, contractId, { role: 'partner', name: 'Lan Nguyễn', email: partnerEmail, consent: true, method: 'cli' });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'awaiting_district_signature');
  await signContract(context, contractId, {
    role: 'district',
    name: 'CPO Office',
    email: 'cpo@mpls.k12.mn.us',
    consent: true,
    method: 'cli',
  });
  return eventually(async () => (await getContractStatus(context, contractId)).documents.executed);
}

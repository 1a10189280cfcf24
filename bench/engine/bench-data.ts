import type { TCpoContext } from '../../client/context';
import type { TPolicy } from '../../domain/policy';
import type { TContractRequestInput } from '../../domain/schemas/contract';
import type { TPartnerApplicationInput } from '../../domain/schemas/partner';
import { currentYearTerm } from '../../domain/plan-term';
import { SERVICE_TYPES } from '../../domain/vocabulary';
import { programNameFor } from '../lib/mailbox';
import { registerPartner } from '../lib/register-partner';
import { runWithConcurrency } from '../lib/stats';
import { CPO_STAFF, PARTNER_SETUPS_IN_FLIGHT } from './options';

// Data: partners and contract requests for the runs.

const SCHOOLS = [
  'Anwatin Middle',
  'Folwell Middle',
  'Bancroft Elementary',
  'Green Central',
  'North High',
  'Sanford Middle',
  'Whittier International',
  'Lyndale Elementary',
];
const ORGANIZATIONS = [
  'Hội Người Việt Tutoring',
  'Ururka Haweenka Soomaaliyeed',
  'Phillips Youth Collective',
  'Centro Arts Alliance',
  'Lake Street Chess Club',
];
const PEOPLE = ['Lan Nguyễn', 'Amina Hassan', 'Carlos Ramírez', 'Mai Vang', 'Winona Redwing'];

export function partnerApplications(prefix: string, count: number): TPartnerApplicationInput[] {
  return Array.from({ length: count }, (_, index) => {
    const partnerId = `${prefix}-${String(index + 1).padStart(3, '0')}`;
    return {
      partnerId,
      organizationName: `${ORGANIZATIONS[index % ORGANIZATIONS.length]} ${index + 1}`,
      representative: { name: PEOPLE[index % PEOPLE.length]!, title: 'Executive Director', email: `rep@${partnerId}.example` },
      services: [SERVICE_TYPES[index % SERVICE_TYPES.length]!],
    };
  });
}

/** Applies every partner; certified ones are reviewed, certified and sign their attestation. */
export async function registerPartners(context: TCpoContext, applications: TPartnerApplicationInput[], certified: boolean): Promise<void> {
  await runWithConcurrency(applications, PARTNER_SETUPS_IN_FLIGHT, (application) => registerPartner(context, application, certified));
}

/** The whole current school year: go-live is already past, so an executed contract goes live at once, on any day. */
export function contractDates(policy: TPolicy): { startDate: string; endDate: string } {
  const { startDate, endDate } = currentYearTerm(Date.now(), policy);
  return { startDate, endDate };
}

export function contractRequest(
  contractId: string,
  partner: TPartnerApplicationInput,
  dates: { startDate: string; endDate: string },
  index: number,
): TContractRequestInput {
  return {
    contractId,
    partnerId: partner.partnerId,
    programName: programNameFor('Reading circles', contractId),
    services: [partner.services[0]!],
    schools: [SCHOOLS[index % SCHOOLS.length]!, SCHOOLS[(index + 3) % SCHOOLS.length]!],
    route: 'zero_dollar',
    category: 'contracted_partner',
    amountCents: 0,
    ...dates,
    initiatedBy: CPO_STAFF,
    partnerSigner: { ...partner.representative },
  };
}

export const contractIdOf = (prefix: string, index: number): string => `${prefix}-${String(index + 1).padStart(6, '0')}`;

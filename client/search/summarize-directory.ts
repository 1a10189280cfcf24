import { SERVICE_TYPES, type TServiceType } from '../../domain/vocabulary';
import type { TContractListing } from './search-contracts';

export interface TDirectoryProgram {
  contractId: string;
  programName: string;
  stage: string;
  category: string;
  schools: string[];
  services: string[];
}

export interface TDirectoryPartner {
  partnerId: string;
  organizationName: string;
  categories: string[];
  services: string[];
  schools: string[];
  programs: TDirectoryProgram[];
}

export interface TSchoolSummary {
  school: string;
  partners: number;
  programs: number;
  /** Programs at this school offering each service. */
  services: Record<TServiceType, number>;
}

export interface TDirectory {
  partners: TDirectoryPartner[];
  schools: TSchoolSummary[];
  totals: { partners: number; programs: number; schools: number };
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort((a, b) => a.localeCompare(b));
const noServices = (): Record<TServiceType, number> =>
  Object.fromEntries(SERVICE_TYPES.map((service) => [service, 0])) as Record<TServiceType, number>;

/**
 * Groups programs by partner and by school. With `onlySchool`, a program at several schools counts for that
 * school only, so the per-school view does not list its neighbours.
 */
export function summarizeDirectory(listings: TContractListing[], onlySchool?: string): TDirectory {
  const partners = new Map<string, TDirectoryPartner>();
  const schools = new Map<string, { partners: Set<string>; programs: number; services: Record<TServiceType, number> }>();
  for (const listing of listings) {
    const partner = partners.get(listing.partnerId) ?? {
      partnerId: listing.partnerId,
      organizationName: listing.organizationName,
      categories: [],
      services: [],
      schools: [],
      programs: [],
    };
    partners.set(listing.partnerId, partner);
    partner.categories = sorted([...partner.categories, listing.category]);
    partner.services = sorted([...partner.services, ...listing.services]);
    partner.schools = sorted([...partner.schools, ...listing.schools]);
    partner.programs.push({
      contractId: listing.contractId,
      programName: listing.programName,
      stage: listing.stage,
      category: listing.category,
      schools: listing.schools,
      services: listing.services,
    });
    for (const school of listing.schools) {
      if (onlySchool && school !== onlySchool) continue;
      const summary = schools.get(school) ?? { partners: new Set<string>(), programs: 0, services: noServices() };
      schools.set(school, summary);
      summary.partners.add(listing.partnerId);
      summary.programs += 1;
      for (const service of listing.services) summary.services[service as TServiceType] += 1;
    }
  }
  const schoolSummaries = [...schools.entries()]
    .map(([school, summary]) => ({ school, partners: summary.partners.size, programs: summary.programs, services: summary.services }))
    .sort((a, b) => a.school.localeCompare(b.school));
  return {
    partners: [...partners.values()].sort((a, b) => a.organizationName.localeCompare(b.organizationName)),
    schools: schoolSummaries,
    totals: { partners: partners.size, programs: listings.length, schools: schoolSummaries.length },
  };
}

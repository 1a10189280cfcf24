import { parseEnv } from '../../config/env';
import { loadPolicy } from '../../config/load-policy';
import { ZContractRequestSchema, type TContractRequestInput } from '../../domain/schemas/contract';
import type { TPartnerApplicationInput } from '../../domain/schemas/partner';
import { isRenewedEachYear, requiredRecords } from '../../domain/agency-records';
import { schoolYearOf } from '../../domain/school-year';
import { planTerm } from '../../domain/plan-term';
import type { TPolicy } from '../../domain/policy';
import { SERVICE_TYPES, type TContractStage, type TPartnershipCategory, type TServiceType } from '../../domain/vocabulary';
import type { TRandom } from '../../scripts/seeded-random';
import { PARTNER_COUNT, isCertifiedPartner } from './options';

// Realistic data, from a seeded generator so every run starts the same contracts.

const pick = <T>(random: TRandom, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: TRandom, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
function pickDistinct<T>(random: TRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  return Array.from({ length: Math.min(count, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
}

const NAME_PLACES = [
  'Phillips',
  'Cedar-Riverside',
  'Powderhorn',
  'Northside',
  'Lake Street',
  'Seward',
  'Longfellow',
  'Whittier',
  'Near North',
  'Camden',
  'Corcoran',
  'Hawthorne',
  'Jordan',
  'Midtown',
  'Nokomis',
  'Hmong American',
  'Somali',
  'Oromo',
  'Latino',
  'Native American',
  'Hội Người Việt',
  'Centro',
  'Dakota',
  'Karen',
  'Ethiopian',
];
const NAME_FOCUS = [
  'Youth',
  'Family',
  'Reading',
  'Arts',
  'Soccer',
  'STEM',
  'Music',
  'Mentoring',
  'Wellness',
  'Leadership',
  'Dance',
  'Chess',
];
const NAME_KINDS = [
  'Collective',
  'Alliance',
  'Center',
  'Project',
  'Network',
  'Club',
  'Foundation',
  'Partners',
  'Academy',
  'Works',
  'Circle',
];
const PEOPLE = [
  'Lan Nguyễn',
  'Amina Hassan',
  'Carlos Ramírez',
  'Mai Vang',
  'Ahmed Farah',
  'Rosa Martínez',
  'Tou Xiong',
  'Fartun Ali',
  'James Johnson',
  'Winona Redwing',
  'Chaltu Tolasa',
  'Paw Htoo',
  'Graciela López',
  'Kiara Williams',
  'Hodan Yusuf',
];
const TITLES = ['Executive Director', 'Program Director', 'Director', 'Founder'];
const PROGRAM_KINDS: Record<TServiceType, string[]> = {
  literacy_tutoring: ['Reading circles', 'Literacy tutoring', 'Family book club'],
  enrichment: ['Robotics club', 'Chess club', 'Garden club'],
  arts: ['Mural project', 'Dance studio', 'Theater workshop'],
  leadership_mentorship: ['Youth leadership council', 'Mentoring circles'],
  attendance_support: ['Attendance coaching', 'Morning check-in'],
  career_college_readiness: ['College access workshops', 'Career exploration'],
  health_mental_health: ['School-based therapy', 'Wellness groups'],
  social_emotional_learning: ['Restorative circles', 'SEL skills groups'],
};
const OFFICES = {
  zero_dollar: { name: 'CPO Staff', email: 'cpo@mpls.k12.mn.us' },
  afterschool_enrichment: { name: 'Community Education', email: 'community.education@mpls.k12.mn.us' },
};
const CATEGORIES: Record<keyof typeof OFFICES, TPartnershipCategory[]> = {
  zero_dollar: ['contracted_partner', 'contracted_partner', 'mental_health'],
  afterschool_enrichment: ['community_education', 'extended_learning_cbo'],
};

export interface TBenchPartner {
  application: TPartnerApplicationInput;
  certified: boolean;
}

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

export function makePartners(random: TRandom): TBenchPartner[] {
  const names = new Set<string>();
  while (names.size < PARTNER_COUNT) names.add(`${pick(random, NAME_PLACES)} ${pick(random, NAME_FOCUS)} ${pick(random, NAME_KINDS)}`);
  return [...names].map((organizationName, index) => {
    const partnerId = slug(organizationName);
    const person = pick(random, PEOPLE);
    const extraServices = pickDistinct(random, SERVICE_TYPES, between(random, 0, 2));
    return {
      certified: isCertifiedPartner(index),
      application: {
        partnerId,
        organizationName,
        representative: { name: person, title: pick(random, TITLES), email: `${slug(person.split(' ')[0]!)}@${partnerId}.example` },
        // The first service cycles so the certified partners (every fifth) cover all eight types between them.
        services: [...new Set([SERVICE_TYPES[index % SERVICE_TYPES.length]!, ...extraServices])],
      },
    };
  });
}

const BENCH_POLICY = loadPolicy(parseEnv().CPO_POLICY_FILE);
const DAY_MS = 86_400_000;

export function makeContractRequest(index: number, partner: TBenchPartner, random: TRandom, todayMs: number): TContractRequestInput {
  const { application } = partner;
  const services = pickDistinct(random, application.services, between(random, 1, 2));
  const schoolCount = random() < 0.55 ? 1 : random() < 0.67 ? 2 : between(random, 3, 4);
  const schools = pickDistinct(random, BENCH_POLICY.schools!, schoolCount);
  const route = random() < 0.6 ? 'zero_dollar' : 'afterschool_enrichment';
  const amountCents = route === 'afterschool_enrichment' && random() < 0.5 ? between(random, 5, 300) * 10_000 : 0;
  // A quarter start within the dashboard's 30-day look-ahead, so the "blocked" list has contracts in it; a start
  // too near the end of its school year moves to the next one (planTerm), so every term is valid on any day.
  const term = planTerm(todayMs, BENCH_POLICY, {
    daysAhead: random() < 0.25 ? between(random, 3, 25) : between(random, 40, 280),
    lengthDays: between(random, 150, 300),
  });
  const kind = pick(random, PROGRAM_KINDS[services[0]!]);
  return {
    contractId: `bench-${String(index).padStart(6, '0')}`,
    partnerId: application.partnerId,
    programName: schools.length === 1 ? `${kind} at ${schools[0]}` : `${kind} (${schools.length} schools)`,
    services,
    schools,
    route,
    category: pick(random, CATEGORIES[route]),
    amountCents,
    startDate: term.startDate,
    endDate: term.endDate,
    initiatedBy: OFFICES[route],
    partnerSigner: { ...application.representative },
  };
}

/** What was started, so each measured query can be checked against what it must find. */
export class LoadTally {
  total = 0;
  awaitingSignature = 0;
  startingSoon = 0;
  readonly schools = new Set<string>();
  readonly serviceStages = new Set<string>();
  readonly partnerWords = new Set<string>();

  add(request: TContractRequestInput, partner: TBenchPartner, todayMs: number, policy: TPolicy): void {
    // A certified partner's contract goes to signature unless it needs an agency record beyond the attestation: the
    // representative is asked for it by email, and the contract waits for it.
    const { shape } = ZContractRequestSchema;
    const needs = requiredRecords(policy, {
      route: request.route,
      category: shape.category.parse(request.category),
      exchangesStudentData: shape.exchangesStudentData.parse(request.exchangesStudentData),
    });
    // The attestation signed at set-up covers this school year; a yearly one for next year is asked for by email.
    const thisYear = schoolYearOf(new Date(todayMs).toISOString(), policy.schoolYear, policy.timeZone).name;
    const attestationOnFile =
      !isRenewedEachYear(policy, 'safety_attestation') ||
      schoolYearOf(request.startDate, policy.schoolYear, policy.timeZone).name === thisYear;
    const ready = partner.certified && attestationOnFile && needs.every((kind) => kind === 'safety_attestation');
    const stage: TContractStage = ready ? 'awaiting_partner_signature' : 'awaiting_prerequisites';
    this.total += 1;
    if (ready) this.awaitingSignature += 1;
    if (Date.parse(request.startDate) < todayMs + 30 * DAY_MS) this.startingSoon += 1;
    request.schools.forEach((school) => this.schools.add(school));
    request.services.forEach((service) => this.serviceStages.add(`${service}|${stage}`));
    nameWords(partner.application.organizationName).forEach((word) => this.partnerWords.add(word));
  }
}

const nameWords = (name: string): string[] => (name.match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => word.length >= 4);

/** Some partners run many programs: a skewed pick, so per-partner lists range from a handful to hundreds. */
export const partnerFor = (random: TRandom, partners: TBenchPartner[]): TBenchPartner =>
  partners[Math.floor(random() ** 1.6 * partners.length)]!;

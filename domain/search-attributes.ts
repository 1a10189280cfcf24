import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { TPolicy } from './policy';
import type { TContractRequest } from './schemas/contract';
import type { TPartnerApplication } from './schemas/partner';
import { schoolYearOf } from './school-year';
import { searchWords } from './search-words';

// What the dashboard and the directory filter on, read from Temporal's visibility store (no copy that can drift).
// SQL visibility (the dev server's SQLite) has 3 Datetime, 3 KeywordList, 3 Text and 10 Keyword slots per namespace.
export const CpoStage = defineSearchAttributeKey('CpoStage', SearchAttributeType.KEYWORD);
export const CpoPartnerId = defineSearchAttributeKey('CpoPartnerId', SearchAttributeType.KEYWORD);
export const CpoPartnerName = defineSearchAttributeKey('CpoPartnerName', SearchAttributeType.TEXT);
/**
 * The name's words as the search box matches them (see searchWords). PostgreSQL visibility casts a Text value
 * to a tsvector as it is, so it matches only exact, case-sensitive, space-separated words; SQLite's full-text
 * index folds case. Storing the folded words makes both stores answer a search alike.
 */
export const CpoPartnerWords = defineSearchAttributeKey('CpoPartnerWords', SearchAttributeType.TEXT);
export const CpoRoute = defineSearchAttributeKey('CpoRoute', SearchAttributeType.KEYWORD);
export const CpoCategory = defineSearchAttributeKey('CpoCategory', SearchAttributeType.KEYWORD);
export const CpoSchoolYear = defineSearchAttributeKey('CpoSchoolYear', SearchAttributeType.KEYWORD);
export const CpoSchools = defineSearchAttributeKey('CpoSchools', SearchAttributeType.KEYWORD_LIST);
/** The schools that did not fit in CpoSchools (a district-wide program); see schoolSearchAttributes. */
export const CpoSchoolsMore = defineSearchAttributeKey('CpoSchoolsMore', SearchAttributeType.KEYWORD_LIST);
export const CpoServices = defineSearchAttributeKey('CpoServices', SearchAttributeType.KEYWORD_LIST);
export const CpoAmountCents = defineSearchAttributeKey('CpoAmountCents', SearchAttributeType.INT);
/** The next moment something happens by itself: a signature request expires, the contract goes live, or it ends. */
export const CpoNextDeadline = defineSearchAttributeKey('CpoNextDeadline', SearchAttributeType.DATETIME);
export const CpoGoLive = defineSearchAttributeKey('CpoGoLive', SearchAttributeType.DATETIME);

/** Every attribute the workflows set: the stack registers them through the operator API. */
export const SEARCH_ATTRIBUTE_KEYS = [
  CpoStage,
  CpoPartnerId,
  CpoPartnerName,
  CpoRoute,
  CpoCategory,
  CpoSchoolYear,
  CpoSchools,
  CpoServices,
  CpoAmountCents,
  CpoNextDeadline,
  CpoGoLive,
  CpoSchoolsMore,
  CpoPartnerWords,
];

const REGISTRATION_TYPE_NAMES: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** What the dev server and the compose stack register, as `--search-attribute NAME=TYPE` pairs. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS: readonly string[] = SEARCH_ATTRIBUTE_KEYS.map(
  (key) => `${key.name}=${REGISTRATION_TYPE_NAMES[key.type]}`,
);

/**
 * Temporal refuses a search-attribute value over 2 KB (`limit.searchAttributesSizeOfValue`, the same on the dev
 * server and by default in production), counted as the value's JSON; this leaves room to spare.
 */
export const MAX_SEARCH_ATTRIBUTE_VALUE_BYTES = 2000;

const utf8Bytes = (text: string): number => {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
};

/**
 * The schools split over CpoSchools and CpoSchoolsMore, each value under Temporal's limit, and those that fit in
 * neither. The workflow keeps every school; the filters find a contract by the schools stored here.
 */
export function fitSchools(schools: readonly string[]): { schools: string[]; more: string[]; left: string[] } {
  const buckets: string[][] = [[], []];
  const left: string[] = [];
  for (const school of schools) {
    const bucket = buckets.find((list) => utf8Bytes(JSON.stringify([...list, school])) <= MAX_SEARCH_ATTRIBUTE_VALUE_BYTES);
    if (bucket) bucket.push(school);
    else left.push(school);
  }
  return { schools: buckets[0]!, more: buckets[1]!, left };
}

/** CpoSchools, and CpoSchoolsMore only when some schools overflow (so short lists upsert exactly what they always did). */
export function schoolSearchAttributes(schools: readonly string[]): SearchAttributePair[] {
  const fitted = fitSchools(schools);
  return [{ key: CpoSchools, value: fitted.schools }, ...(fitted.more.length > 0 ? [{ key: CpoSchoolsMore, value: fitted.more }] : [])];
}

/** What a contract is found by from the moment it starts; the stage and deadline then move with it. */
export function contractSearchAttributes(request: TContractRequest, policy: TPolicy, goLiveAt: Date): SearchAttributePair[] {
  return [
    { key: CpoStage, value: 'initiated' },
    { key: CpoPartnerId, value: request.partnerId },
    { key: CpoRoute, value: request.route },
    { key: CpoCategory, value: request.category },
    { key: CpoSchoolYear, value: schoolYearOf(request.goLiveDate ?? request.startDate, policy.schoolYear, policy.timeZone).name },
    ...schoolSearchAttributes(request.schools),
    { key: CpoServices, value: request.services },
    { key: CpoAmountCents, value: request.amountCents },
    { key: CpoGoLive, value: goLiveAt },
  ];
}

export function partnerSearchAttributes(application: TPartnerApplication): SearchAttributePair[] {
  return [
    { key: CpoStage, value: 'applied' },
    { key: CpoPartnerId, value: application.partnerId },
    { key: CpoPartnerName, value: application.organizationName },
    { key: CpoServices, value: application.services },
  ];
}

/** The name's folded words (CpoPartnerWords), set when a partner workflow or one of its contracts starts. */
export const partnerWordsSearchAttribute = (organizationName: string): SearchAttributePair => ({
  key: CpoPartnerWords,
  value: searchWords(organizationName).join(' '),
});

import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { TPolicy } from './policy';
import type { TContractRequest } from './schemas/contract';
import type { TPartnerApplication } from './schemas/partner';
import { schoolYearOf } from './school-year';

// What the dashboard and the directory filter on, read from Temporal's visibility store (no copy that can drift).
// SQL visibility (the dev server's SQLite) has 3 Datetime, 3 KeywordList, 3 Text and 10 Keyword slots per namespace.
export const CpoStage = defineSearchAttributeKey('CpoStage', SearchAttributeType.KEYWORD);
export const CpoPartnerId = defineSearchAttributeKey('CpoPartnerId', SearchAttributeType.KEYWORD);
export const CpoPartnerName = defineSearchAttributeKey('CpoPartnerName', SearchAttributeType.TEXT);
export const CpoRoute = defineSearchAttributeKey('CpoRoute', SearchAttributeType.KEYWORD);
export const CpoCategory = defineSearchAttributeKey('CpoCategory', SearchAttributeType.KEYWORD);
export const CpoSchoolYear = defineSearchAttributeKey('CpoSchoolYear', SearchAttributeType.KEYWORD);
export const CpoSchools = defineSearchAttributeKey('CpoSchools', SearchAttributeType.KEYWORD_LIST);
export const CpoServices = defineSearchAttributeKey('CpoServices', SearchAttributeType.KEYWORD_LIST);
export const CpoAmountCents = defineSearchAttributeKey('CpoAmountCents', SearchAttributeType.INT);
/** The next moment something happens by itself: a signature request expires, the contract goes live, or it ends. */
export const CpoNextDeadline = defineSearchAttributeKey('CpoNextDeadline', SearchAttributeType.DATETIME);
export const CpoGoLive = defineSearchAttributeKey('CpoGoLive', SearchAttributeType.DATETIME);

const ALL_KEYS = [
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
export const SEARCH_ATTRIBUTE_REGISTRATIONS: readonly string[] = ALL_KEYS.map(
  (key) => `${key.name}=${REGISTRATION_TYPE_NAMES[key.type]}`,
);

/** What a contract is found by from the moment it starts; the stage and deadline then move with it. */
export function contractSearchAttributes(
  request: TContractRequest,
  policy: TPolicy,
  goLiveAt: Date,
): SearchAttributePair[] {
  return [
    { key: CpoStage, value: 'initiated' },
    { key: CpoPartnerId, value: request.partnerId },
    { key: CpoRoute, value: request.route },
    { key: CpoCategory, value: request.category },
    { key: CpoSchoolYear, value: schoolYearOf(request.goLiveDate ?? request.startDate, policy.schoolYear, policy.timeZone).name },
    { key: CpoSchools, value: request.schools },
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

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CpoStage = defineSearchAttributeKey('CpoStage', SearchAttributeType.KEYWORD);
export const CpoPartnerId = defineSearchAttributeKey('CpoPartnerId', SearchAttributeType.KEYWORD);
export const CpoRoute = defineSearchAttributeKey('CpoRoute', SearchAttributeType.KEYWORD);

/** What the dev server and the compose stack register, as `--search-attribute NAME=TYPE` pairs. */
export const SEARCH_ATTRIBUTE_REGISTRATIONS = ['CpoStage=Keyword', 'CpoPartnerId=Keyword', 'CpoRoute=Keyword'] as const;

import { z } from 'zod';
import { CpoPartnerName, CpoServices, CpoStage } from '../../domain/search-attributes';
import { PARTNER_STAGES, SERVICE_TYPES, type TPartnerStage } from '../../domain/vocabulary';
import type { TCpoContext } from '../context';
import { parseInput } from '../errors';
import { readListingPage } from './read-listing';
import { partnerNameClauses, quote, ZFilterTextSchema } from './visibility-query';

export const ZPartnerSearchSchema = z.object({
  stage: z.enum(PARTNER_STAGES).optional(),
  service: z.enum(SERVICE_TYPES).optional(),
  text: ZFilterTextSchema.optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  pageToken: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a page token')
    .optional(),
});

export interface TPartnerListing {
  partnerId: string;
  organizationName: string;
  stage: TPartnerStage;
  services: string[];
  startedAt: string;
}

/** Partners by stage, partner id, service and words of the name (each optional). */
export function partnerQuery(filter: {
  stage?: string | undefined;
  partnerId?: string | undefined;
  service?: string | undefined;
  text?: string | undefined;
}): string {
  return [
    `WorkflowType = 'partnerWorkflow'`,
    ...(filter.stage ? [`CpoStage = ${quote(filter.stage)}`] : []),
    ...(filter.partnerId ? [`CpoPartnerId = ${quote(filter.partnerId)}`] : []),
    ...(filter.service ? [`CpoServices = ${quote(filter.service)}`] : []),
    ...(filter.text ? partnerNameClauses(filter.text) : []),
  ].join(' AND ');
}

export async function searchPartners(
  context: TCpoContext,
  raw: unknown,
): Promise<{ partners: TPartnerListing[]; nextPageToken: string | null }> {
  const search = parseInput(ZPartnerSearchSchema, raw);
  const page = await readListingPage(context, partnerQuery(search), search.pageSize, search.pageToken);
  return {
    partners: page.executions.map((execution) => ({
      partnerId: execution.workflowId.replace(/^partner-/, ''),
      organizationName: execution.typedSearchAttributes.get(CpoPartnerName) ?? '',
      stage: (execution.typedSearchAttributes.get(CpoStage) ?? 'applied') as TPartnerStage,
      services: execution.typedSearchAttributes.get(CpoServices) ?? [],
      startedAt: execution.startTime.toISOString(),
    })),
    nextPageToken: page.nextPageToken,
  };
}

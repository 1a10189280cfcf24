import { z } from 'zod';
import { CpoPartnerId, CpoStage } from '../domain/search-attributes';
import { CONTRACT_STAGES, PARTNER_STAGES } from '../domain/vocabulary';
import type { TCpoContext } from './context';
import { parseInput } from './errors';

export const ZListFilterSchema = z.object({
  kind: z.enum(['partner', 'contract']).optional(),
  stage: z.enum([...new Set([...PARTNER_STAGES, ...CONTRACT_STAGES])] as [string, ...string[]]).optional(),
  partnerId: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a partner id')
    .optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});

export interface TWorkflowListing {
  kind: 'partner' | 'contract';
  id: string;
  stage: string | null;
  partnerId: string | null;
  status: string;
  startedAt: string;
}

/** Lists partners and contracts from Temporal's visibility store, newest first. */
export async function listWorkflows(context: TCpoContext, raw: unknown): Promise<TWorkflowListing[]> {
  const filter = parseInput(ZListFilterSchema, raw);
  const clauses = [
    filter.kind === 'partner'
      ? `WorkflowType = 'partnerWorkflow'`
      : filter.kind === 'contract'
        ? `WorkflowType = 'contractWorkflow'`
        : `WorkflowType IN ('partnerWorkflow', 'contractWorkflow')`,
    ...(filter.stage ? [`CpoStage = '${filter.stage}'`] : []),
    ...(filter.partnerId ? [`CpoPartnerId = '${filter.partnerId}'`] : []),
  ];
  const listings: TWorkflowListing[] = [];
  for await (const execution of context.client.workflow.list({ query: clauses.join(' AND '), pageSize: filter.limit })) {
    const kind = execution.type === 'partnerWorkflow' ? 'partner' : 'contract';
    listings.push({
      kind,
      id: execution.workflowId.replace(/^(partner|contract)-/, ''),
      stage: execution.typedSearchAttributes.get(CpoStage) ?? null,
      partnerId: execution.typedSearchAttributes.get(CpoPartnerId) ?? null,
      status: execution.status.name,
      startedAt: execution.startTime.toISOString(),
    });
    if (listings.length >= filter.limit) break;
  }
  return listings;
}

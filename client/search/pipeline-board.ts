import type { z } from 'zod';
import { CONTRACT_STAGES, PARTNER_STAGES, type TContractStage, type TPartnerStage } from '../../domain/vocabulary';
import type { TCpoContext } from '../context';
import { parseInput } from '../errors';
import { contractQuery, ZContractSearchSchema, type TContractView } from './search-contracts';
import { partnerQuery } from './search-partners';

/** The board can be narrowed like the lists (one school, one route, this school year...). */
export const ZBoardFilterSchema = ZContractSearchSchema.pick({
  school: true,
  service: true,
  route: true,
  category: true,
  schoolYear: true,
  partnerId: true,
  text: true,
});
export type TBoardFilter = z.infer<typeof ZBoardFilterSchema>;

export interface TPipelineBoard {
  filter: TBoardFilter;
  contracts: Record<TContractStage, number>;
  partners: Record<TPartnerStage, number>;
  attention: Record<Exclude<TContractView, 'all' | 'open'>, number>;
  countedAt: string;
}

const ATTENTION_VIEWS = ['overdue_signatures', 'expiring', 'blocked'] as const;

/** Counts per stage and per attention list, each a visibility count (grouping by a custom attribute is not supported). */
/** `scope` narrows the contract counts to what one account may see; partners are counted for everyone. */
export async function pipelineBoard(
  context: TCpoContext,
  raw: unknown = {},
  nowMs = Date.now(),
  scope: readonly string[] = [],
): Promise<TPipelineBoard> {
  const filter = parseInput(ZBoardFilterSchema, raw);
  const count = async (query: string) => (await context.client.workflow.count(query)).count;
  const [contracts, partners, attention] = await Promise.all([
    Promise.all(CONTRACT_STAGES.map((stage) => count(contractQuery({ ...filter, view: 'all', stage }, context.policy, nowMs, scope)))),
    Promise.all(PARTNER_STAGES.map((stage) => count(partnerQuery({ ...filter, stage })))),
    Promise.all(ATTENTION_VIEWS.map((view) => count(contractQuery({ ...filter, view }, context.policy, nowMs, scope)))),
  ]);
  return {
    filter,
    contracts: Object.fromEntries(CONTRACT_STAGES.map((stage, i) => [stage, contracts[i]!])) as Record<TContractStage, number>,
    partners: Object.fromEntries(PARTNER_STAGES.map((stage, i) => [stage, partners[i]!])) as Record<TPartnerStage, number>,
    attention: Object.fromEntries(ATTENTION_VIEWS.map((view, i) => [view, attention[i]!])) as TPipelineBoard['attention'],
    countedAt: new Date(nowMs).toISOString(),
  };
}

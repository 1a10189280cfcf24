import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { programStartBlockedReason } from '../../domain/contract-rules';
import { durationToMs } from '../../domain/durations';
import {
  CpoAmountCents,
  CpoCategory,
  CpoGoLive,
  CpoNextDeadline,
  CpoPartnerId,
  CpoPartnerName,
  CpoRoute,
  CpoSchools,
  CpoSchoolsMore,
  CpoSchoolYear,
  CpoServices,
  CpoStage,
} from '../../domain/search-attributes';
import { CONTRACT_STAGES, OPEN_CONTRACT_STAGES, PARTNERSHIP_CATEGORIES, SERVICE_TYPES, type TContractStage } from '../../domain/vocabulary';
import type { TPolicy } from '../../domain/policy';
import type { TCpoContext } from '../context';
import { parseInput } from '../errors';
import { readListingPage } from './read-listing';
import { partnerNameClauses, inList, quote, ZFilterTextSchema } from './visibility-query';

/** The lists operations staff watch; each is a visibility query, so counts and lists agree. */
export const CONTRACT_VIEWS = ['all', 'open', 'overdue_signatures', 'expiring', 'blocked'] as const;
export type TContractView = (typeof CONTRACT_VIEWS)[number];

export const ZContractSearchSchema = z.object({
  view: z.enum(CONTRACT_VIEWS).default('all'),
  stage: z.enum(CONTRACT_STAGES).optional(),
  school: ZFilterTextSchema.optional(),
  service: z.enum(SERVICE_TYPES).optional(),
  route: z
    .string()
    .regex(/^[a-z][a-z0-9_]{1,40}$/, 'must be a route key such as department_paid')
    .optional(),
  category: z.enum(PARTNERSHIP_CATEGORIES).optional(),
  schoolYear: z
    .string()
    .regex(/^\d{4}-\d{4}$/, 'must be a school year such as 2026-2027')
    .optional(),
  partnerId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be a partner id')
    .optional(),
  text: ZFilterTextSchema.optional(),
  pageSize: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  pageToken: z
    .string()
    .max(2000)
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a page token')
    .optional(),
});
export type TContractSearch = z.infer<typeof ZContractSearchSchema>;

export interface TContractListing {
  contractId: string;
  programName: string;
  organizationName: string;
  partnerId: string;
  stage: TContractStage;
  route: string;
  category: string;
  schoolYear: string;
  schools: string[];
  services: string[];
  amountCents: number;
  nextDeadline: string | null;
  goLiveAt: string | null;
  endDate: string | null;
  startedAt: string;
  /** Why the program may not start now (null when live); derived from the stage as the workflow does. */
  programStartBlockedReason: string | null;
}

const SIGNATURE_STAGES: TContractStage[] = ['awaiting_partner_signature', 'awaiting_district_signature'];
const UNSIGNED_STAGES: TContractStage[] = ['initiated', 'awaiting_prerequisites', ...SIGNATURE_STAGES];

/** How far ahead the dashboard warns: contracts ending, and programs due to start while unsigned. */
export const LOOKAHEAD_DAYS = 30;

/** The clauses of one view at `nowMs`. */
export function viewClauses(view: TContractView, policy: TPolicy, nowMs: number): string[] {
  const at = (ms: number) => quote(new Date(ms).toISOString());
  const ahead = nowMs + LOOKAHEAD_DAYS * 86_400_000;
  switch (view) {
    case 'all':
      return [];
    case 'open':
      return [`CpoStage IN ${inList(OPEN_CONTRACT_STAGES)}`];
    case 'overdue_signatures': {
      // A request is overdue once it has gone unanswered for the reminder period: its deadline is that much closer.
      const { expireAfter, remindEvery } = policy.signature;
      const overdueWhenDeadlineBefore = nowMs + durationToMs(expireAfter) - durationToMs(remindEvery);
      return [`CpoStage IN ${inList(SIGNATURE_STAGES)}`, `CpoNextDeadline < ${at(overdueWhenDeadlineBefore)}`];
    }
    case 'expiring':
      return [`CpoStage = 'live'`, `CpoNextDeadline < ${at(ahead)}`];
    case 'blocked':
      return [`CpoStage IN ${inList(UNSIGNED_STAGES)}`, `CpoGoLive < ${at(ahead)}`];
  }
}

/** `scope`: clauses that narrow the query to what one account may see (see server/dashboard/contract-scope.ts). */
export function contractQuery(
  search: Omit<TContractSearch, 'pageSize' | 'pageToken'>,
  policy: TPolicy,
  nowMs: number,
  scope: readonly string[] = [],
): string {
  return [
    `WorkflowType = 'contractWorkflow'`,
    ...scope,
    ...viewClauses(search.view, policy, nowMs),
    ...(search.stage ? [`CpoStage = ${quote(search.stage)}`] : []),
    ...(search.school ? [`(CpoSchools = ${quote(search.school)} OR CpoSchoolsMore = ${quote(search.school)})`] : []),
    ...(search.service ? [`CpoServices = ${quote(search.service)}`] : []),
    ...(search.route ? [`CpoRoute = ${quote(search.route)}`] : []),
    ...(search.category ? [`CpoCategory = ${quote(search.category)}`] : []),
    ...(search.schoolYear ? [`CpoSchoolYear = ${quote(search.schoolYear)}`] : []),
    ...(search.partnerId ? [`CpoPartnerId = ${quote(search.partnerId)}`] : []),
    ...(search.text ? partnerNameClauses(search.text) : []),
  ].join(' AND ');
}

export async function searchContracts(
  context: TCpoContext,
  raw: unknown,
  nowMs = Date.now(),
  scope: readonly string[] = [],
): Promise<{ contracts: TContractListing[]; nextPageToken: string | null }> {
  const search = parseInput(ZContractSearchSchema, raw);
  const page = await readListingPage(context, contractQuery(search, context.policy, nowMs, scope), search.pageSize, search.pageToken);
  return { contracts: page.executions.map(toContractListing), nextPageToken: page.nextPageToken };
}

export function toContractListing(execution: WorkflowExecutionInfo): TContractListing {
  const attributes = execution.typedSearchAttributes;
  const memo = (execution.memo ?? {}) as { programName?: string; organizationName?: string; endDate?: string; schools?: string[] };
  const stage = (attributes.get(CpoStage) ?? 'initiated') as TContractStage;
  const goLive = attributes.get(CpoGoLive);
  const goLiveAt = goLive ? goLive.toISOString() : null;
  return {
    contractId: execution.workflowId.replace(/^contract-/, ''),
    programName: memo.programName ?? execution.workflowId,
    organizationName: memo.organizationName ?? attributes.get(CpoPartnerName) ?? '',
    partnerId: attributes.get(CpoPartnerId) ?? '',
    stage,
    route: attributes.get(CpoRoute) ?? '',
    category: attributes.get(CpoCategory) ?? '',
    schoolYear: attributes.get(CpoSchoolYear) ?? '',
    // The memo has every school of a contract whose schools overflow the attributes; amendments add to the attributes.
    schools: [...new Set([...(memo.schools ?? []), ...(attributes.get(CpoSchools) ?? []), ...(attributes.get(CpoSchoolsMore) ?? [])])],
    services: attributes.get(CpoServices) ?? [],
    amountCents: attributes.get(CpoAmountCents) ?? 0,
    nextDeadline: attributes.get(CpoNextDeadline)?.toISOString() ?? null,
    goLiveAt,
    endDate: memo.endDate ?? null,
    startedAt: execution.startTime.toISOString(),
    programStartBlockedReason: programStartBlockedReason(stage, { goLiveAt: goLiveAt ?? 'unknown', closedReason: null }),
  };
}

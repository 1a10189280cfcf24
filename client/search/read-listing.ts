import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { TCpoContext } from '../context';
import { CpoInputError } from '../errors';

const GRPC_INVALID_ARGUMENT = 3;
const BAD_PAGE_TOKEN = CpoInputError.forField('pageToken', 'is not a page token of this list; start from the first page');

/** RFC 3339, as Go reads a time.Time from JSON (a valid date, seconds, a zone with a colon). */
const ZTokenTimeSchema = z.iso.datetime({ offset: true }).regex(/(Z|[+-]\d{2}:\d{2})$/);
/** The fields of the SQL visibility store's token (Go matches JSON keys to them case-insensitively) and what each must be. */
const TOKEN_FIELDS: Record<string, (value: unknown) => boolean> = {
  closetime: (value) => value === null || ZTokenTimeSchema.safeParse(value).success,
  starttime: (value) => value === null || ZTokenTimeSchema.safeParse(value).success,
  runid: (value) => value === null || typeof value === 'string',
};

/**
 * The visibility store's page tokens are JSON objects; anything else, or a known field of the wrong type, is
 * refused here, because the server answers a token it cannot parse with an "Unknown" error that the client
 * retries for many seconds.
 */
function isVisibilityPageToken(pageToken: string): boolean {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return false;
    return Object.entries(decoded).every(([key, value]) => TOKEN_FIELDS[key.toLowerCase()]?.(value) ?? true);
  } catch {
    return false;
  }
}

export interface TListingPage {
  executions: WorkflowExecutionInfo[];
  /** Pass back to read the next page; null on the last page. */
  nextPageToken: string | null;
}

/** One page of a visibility query, so lists page with a token instead of reading everything. */
export async function readListingPage(context: TCpoContext, query: string, pageSize: number, pageToken?: string): Promise<TListingPage> {
  const { client } = context;
  if (pageToken !== undefined && !isVisibilityPageToken(pageToken)) throw BAD_PAGE_TOKEN;
  const response = await client.workflowService
    .listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      pageSize,
      nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : Buffer.alloc(0),
    })
    .catch((error: unknown) => {
      // The only part of the query a caller writes verbatim is the page token.
      if (pageToken && (error as { code?: number }).code === GRPC_INVALID_ARGUMENT) throw BAD_PAGE_TOKEN;
      throw error;
    });
  const executions = await Promise.all(
    response.executions.map((raw) => executionInfoFromRaw(raw, client.options.loadedDataConverter, raw, client.options.namespace)),
  );
  const token = response.nextPageToken;
  return { executions, nextPageToken: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null };
}

/** Every execution a query matches, read in large pages (for aggregates such as the directory). */
export async function readAllListings(context: TCpoContext, query: string, limit: number): Promise<WorkflowExecutionInfo[]> {
  const all: WorkflowExecutionInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await readListingPage(context, query, 1000, pageToken);
    all.push(...page.executions);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken && all.length < limit);
  return all.slice(0, limit);
}

import { z } from 'zod';
import { OPEN_CONTRACT_STAGES, PARTNERSHIP_CATEGORIES, SERVICE_TYPES } from '../../domain/vocabulary';
import type { TCpoContext } from '../context';
import { parseInput } from '../errors';
import { readAllListings } from './read-listing';
import { contractQuery, toContractListing } from './search-contracts';
import { summarizeDirectory, type TDirectory } from './summarize-directory';
import { ZFilterTextSchema } from './visibility-query';

export const ZDirectorySearchSchema = z.object({
  school: ZFilterTextSchema.optional(),
  service: z.enum(SERVICE_TYPES).optional(),
  category: z.enum(PARTNERSHIP_CATEGORIES).optional(),
  text: ZFilterTextSchema.optional(),
});
export type TDirectorySearch = z.infer<typeof ZDirectorySearchSchema>;

/** More open programs than this is beyond any district; the directory says so instead of reading forever. */
const DIRECTORY_LIMIT = 50_000;

/**
 * The searchable partnership database (seed 004): which organizations serve which schools with which services,
 * from every open contract (closed ones, such as expired or voided, no longer serve a school).
 */
export async function partnershipDirectory(context: TCpoContext, raw: unknown): Promise<TDirectory> {
  const search = parseInput(ZDirectorySearchSchema, raw);
  // One read per open stage, in parallel: the visibility store answers several smaller reads faster than one long one.
  const perStage = await Promise.all(
    OPEN_CONTRACT_STAGES.map((stage) =>
      readAllListings(context, contractQuery({ view: 'all', stage, ...search }, context.policy, Date.now()), DIRECTORY_LIMIT),
    ),
  );
  return summarizeDirectory(perStage.flat().map(toContractListing), search.school);
}

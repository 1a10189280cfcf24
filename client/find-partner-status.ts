import type { TCpoContext } from './context';
import { CpoNotFoundError } from './errors';
import { getPartnerStatus } from './partners';
import type { TPartnerStatus } from '../domain/schemas/partner';

const STATUS_DEADLINE_MS = 10_000;

/** The partner a token names, or null when there is none; an outage throws (shown as "try again"). */
export async function findPartnerStatus(context: TCpoContext, partnerId: string): Promise<TPartnerStatus | null> {
  try {
    return await context.client.connection.withDeadline(Date.now() + STATUS_DEADLINE_MS, () => getPartnerStatus(context, partnerId));
  } catch (error) {
    if (error instanceof CpoNotFoundError) return null;
    throw error;
  }
}

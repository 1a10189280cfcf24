import { isSameOrganizationName } from '../domain/is-same-organization-name';
import { makePartnerId } from '../domain/make-partner-id';
import type { TOnlineApplication } from '../domain/schemas/online-application';
import type { TPartnerStatus } from '../domain/schemas/partner';
import type { TPartnerStage } from '../domain/vocabulary';
import type { TCpoContext } from './context';
import { CpoNotFoundError, CpoRefusedError } from './errors';
import { applyPartner, getPartnerStatus } from './partners';

/** Past this many organizations with one slug, the office takes the application by hand. */
const MAX_ATTEMPTS = 20;
const OPEN_STAGES: readonly TPartnerStage[] = ['applied', 'in_review', 'certified'];

export interface TConfirmedApplication {
  partnerId: string;
  /** `already_applied`: this representative's application for this organization was there (a link used twice). */
  outcome: 'started' | 'already_applied';
  /** Another application under the same organization name, whose representative is told of this one. */
  sameNameAs?: TPartnerStatus;
}

/**
 * Starts the partner workflow of a confirmed online application, its id made from the organization name. The
 * workflow id is the guard against applying twice: a confirmation that finds this representative's open
 * application for the organization starts nothing. Another organization with the same slug, or another
 * representative applying under a name on file, gets the next free "-2", "-3"… (staff reconcile duplicates).
 */
export async function confirmOnlineApplication(context: TCpoContext, application: TOnlineApplication): Promise<TConfirmedApplication> {
  let sameNameAs: TPartnerStatus | undefined;
  let raced = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const partnerId = makePartnerId(application.organizationName, attempt);
    const existing = await getPartnerStatus(context, partnerId).catch((error: unknown) => {
      if (error instanceof CpoNotFoundError) return null;
      throw error;
    });
    if (!existing) {
      try {
        await applyPartner(context, { ...application, partnerId });
        return { partnerId, outcome: 'started', ...(sameNameAs ? { sameNameAs } : {}) };
      } catch (error) {
        // Started by a confirmation running at the same moment: look at it again as an existing one.
        if (!(error instanceof CpoRefusedError) || raced) throw error;
        raced = true;
        attempt -= 1;
        continue;
      }
    }
    if (!isSameOrganizationName(existing.organizationName, application.organizationName)) continue;
    const sameRepresentative = existing.representative.email.toLowerCase() === application.representative.email.toLowerCase();
    if (sameRepresentative && OPEN_STAGES.includes(existing.stage)) return { partnerId, outcome: 'already_applied' };
    sameNameAs ??= existing;
  }
  throw new CpoRefusedError(
    `Too many organizations are named like "${application.organizationName}": the office will register this application by hand; please write to it.`,
  );
}

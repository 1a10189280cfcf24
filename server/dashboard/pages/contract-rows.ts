import type { TContractListing } from '../../../client/search/search-contracts';
import { CLOSED_CONTRACT_STAGES, type TContractStage } from '../../../domain/vocabulary';
import { formatAmount, formatWhen, h, serviceLabel, stageBadge } from './components';

export const CONTRACT_HEADERS = ['Program', 'Partner', 'Schools', 'Services', 'Stage', 'Amount', 'Next deadline'];

/** Rows of contract lists; a contract that may not start says why under its stage. */
export function contractRows(listings: TContractListing[], timeZone: string): string[][] {
  return listings.map((listing) => [
    `<a href="/dashboard/contracts/${h(listing.contractId)}">${h(listing.programName)}</a><br><span class="muted">${h(listing.contractId)}</span>`,
    `<a href="/dashboard/partners/${h(listing.partnerId)}">${h(listing.organizationName)}</a>`,
    listing.schools.map(h).join('<br>'),
    listing.services.map((service) => h(serviceLabel(service))).join(', '),
    `${stageBadge(listing.stage)}${listing.programStartBlockedReason && listing.stage !== 'executed' && !isClosed(listing.stage) ? `<br><span class="blocked">${h(listing.programStartBlockedReason)}</span>` : ''}`,
    formatAmount(listing.amountCents),
    formatWhen(listing.nextDeadline, timeZone),
  ]);
}

const isClosed = (stage: string): boolean => CLOSED_CONTRACT_STAGES.includes(stage as TContractStage);

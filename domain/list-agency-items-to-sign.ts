import { isRenewedEachYear, requiredRecords } from './agency-records';
import { RECORD_LABELS } from './labels';
import type { TPolicy } from './policy';
import type { TContractStatus } from './schemas/contract';
import type { TPartnerStatus } from './schemas/partner';
import { CLOSED_CONTRACT_STAGES, type TAgencyRecordKind } from './vocabulary';

export interface TAgencyItemToSign {
  kind: TAgencyRecordKind;
  /** Null for records kept once for the agency. */
  schoolYear: string | null;
  label: string;
  /** Where the representative signs it online, when a link maker gives one. */
  link?: string;
}

/**
 * What the agency must still sign for the school years given (this one and next): the records the policy always
 * requires (this year, or a year with contracts) and those its open contracts of each year wait for, less those on file. `linkFor` makes the signing
 * link of an item (the attestation and affirmation signing pages); without it the items are listed without links.
 */
export function listAgencyItemsToSign(
  policy: TPolicy,
  partner: Pick<TPartnerStatus, 'attestations' | 'records'>,
  contracts: readonly Pick<TContractStatus, 'request' | 'schoolYear' | 'stage'>[],
  schoolYears: readonly string[],
  linkFor?: (item: Omit<TAgencyItemToSign, 'link'>) => string | undefined,
): TAgencyItemToSign[] {
  const onFile = [
    ...partner.attestations.map((a) => ({ kind: 'safety_attestation' as const, schoolYear: a.schoolYear ?? null })),
    ...partner.records.map(({ kind, schoolYear }) => ({ kind, schoolYear })),
  ];
  const items = new Map<string, Omit<TAgencyItemToSign, 'link'>>();
  for (const schoolYear of schoolYears) {
    const contractsOfYear = contracts.filter((c) => c.schoolYear === schoolYear && !CLOSED_CONTRACT_STAGES.includes(c.stage));
    // Next year's records are due only once a contract for it exists.
    const always = contractsOfYear.length > 0 || schoolYear === schoolYears[0] ? policy.agencyRecords.always : [];
    const kinds = new Set([...always, ...contractsOfYear.flatMap((c) => requiredRecords(policy, c.request))]);
    for (const kind of kinds) {
      const perYear = isRenewedEachYear(policy, kind);
      const signed = onFile.some((r) => r.kind === kind && (!perYear || r.schoolYear === null || r.schoolYear === schoolYear));
      if (signed) continue;
      const year = perYear ? schoolYear : null;
      const label = perYear ? `${RECORD_LABELS[kind]} for ${schoolYear}` : RECORD_LABELS[kind];
      items.set(`${kind}/${year}`, { kind, schoolYear: year, label });
    }
  }
  return [...items.values()].map((item) => {
    const link = linkFor?.(item);
    return link ? { ...item, link } : item;
  });
}

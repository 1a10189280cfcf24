import { RECORD_LABELS } from './labels';
import { ownEntry } from './own-entry';
import type { TPolicy } from './policy';
import type { TContractRequest } from './schemas/contract';
import type { TPartnerStanding, TRecordOnFile } from './schemas/partner';
import type { TAgencyRecordKind } from './vocabulary';

/** The agency records a contract waits for under the policy: always, by route, by category, and for student data. */
export function requiredRecords(
  policy: TPolicy,
  request: Pick<TContractRequest, 'route' | 'category' | 'exchangesStudentData'>,
): TAgencyRecordKind[] {
  const rules = policy.agencyRecords;
  const studentData = request.exchangesStudentData && rules.studentDataManagedBy === 'agency' ? rules.whenStudentDataExchanged : [];
  return [
    ...new Set([
      ...rules.always,
      ...(ownEntry(rules.byRoute, request.route) ?? []),
      ...(ownEntry(rules.byCategory, request.category) ?? []),
      ...studentData,
    ]),
  ];
}

export const isRenewedEachYear = (policy: TPolicy, kind: TAgencyRecordKind): boolean =>
  policy.agencyRecords.renewEachSchoolYear.includes(kind);

/** Records a standing shows; a standing from before per-year records counts its attestation for any year. */
function recordsOf(standing: TPartnerStanding, schoolYear: string): TRecordOnFile[] {
  if (standing.recordsOnFile) return standing.recordsOnFile;
  return standing.attestationSignedAt ? [{ kind: 'safety_attestation', schoolYear }] : [];
}

/** What the contract still waits for from its partner, in words; empty when it may go to signature. */
export function missingPrerequisites(
  policy: TPolicy,
  request: Pick<TContractRequest, 'route' | 'category' | 'exchangesStudentData'>,
  schoolYear: string,
  standing: TPartnerStanding | null,
): string[] {
  if (!standing) return ['the partner’s standing'];
  const missing: string[] = standing.stage === 'certified' ? [] : ['partner certification'];
  const onFile = recordsOf(standing, schoolYear);
  for (const kind of requiredRecords(policy, request)) {
    const perYear = isRenewedEachYear(policy, kind);
    const found = onFile.some(
      (record) => record.kind === kind && (!perYear || record.schoolYear === null || record.schoolYear === schoolYear),
    );
    if (!found) missing.push(perYear ? `${RECORD_LABELS[kind]} for ${schoolYear}` : RECORD_LABELS[kind]);
  }
  return missing;
}

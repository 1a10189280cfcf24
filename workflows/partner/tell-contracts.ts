import { getExternalWorkflowHandle, log } from '@temporalio/workflow';
import { updatePartnerStandingSignal } from '../../domain/messages';
import type { TPartnerStanding, TPartnerStatus } from '../../domain/schemas/partner';

/** What contracts are told of their partner. */
export function standingOf(state: TPartnerStatus): TPartnerStanding {
  const latest = state.attestations.at(-1);
  return {
    partnerId: state.partnerId,
    organizationName: state.organizationName,
    stage: state.stage,
    attestationSignedAt: latest?.signedAt ?? null,
    recordsOnFile: [
      ...state.attestations.map((a) => ({ kind: 'safety_attestation' as const, schoolYear: a.schoolYear ?? null })),
      ...state.records.map(({ kind, schoolYear }) => ({ kind, schoolYear })),
    ],
    ...(state.endedReason ? { endedReason: state.endedReason } : {}),
  };
}

export async function tellContract(contractWorkflowId: string, standing: TPartnerStanding): Promise<void> {
  try {
    await getExternalWorkflowHandle(contractWorkflowId).signal(updatePartnerStandingSignal, standing);
  } catch (error) {
    // A closed contract no longer listens; its record stays in the agency's list.
    log.info('Contract did not take the partner standing', { contractWorkflowId, error: String(error) });
  }
}

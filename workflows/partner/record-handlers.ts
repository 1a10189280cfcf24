import { patched, setHandler } from '@temporalio/workflow';
import { recordAgencyRecordUpdate, signAttestationUpdate } from '../../domain/messages';
import type { TPolicy } from '../../domain/policy';
import { ZRecordAgencyRecordSchema, ZSignAttestationSchema, type TPartnerStatus } from '../../domain/schemas/partner';
import { ACTIVE_PARTNER_STAGES as ACTIVE_STAGES } from '../../domain/vocabulary';
import { appendHistory, nowIso, parseUpdateInput, requireStage } from '../support';
import type { requestAgencyRecords } from './record-requests';
import type { sealAttestations } from './seal-attestation';

/** What the record and attestation handlers read and change in the partner workflow. */
export type TRecordHandlerDeps = {
  state: TPartnerStatus;
  policy: TPolicy;
  currentSchoolYear: () => string;
  tellEveryContract: () => void;
  recordRequests: ReturnType<typeof requestAgencyRecords>;
  sealer: ReturnType<typeof sealAttestations>;
  /** Whether this run follows up attestation requests (patch `attestation-follow-up`). */
  followsUp: boolean;
};

/** The agency's records: one added by staff or affirmed by the representative, and the signed attestation. */
export function setRecordHandlers({
  state,
  policy,
  currentSchoolYear,
  tellEveryContract,
  recordRequests,
  sealer,
  followsUp,
}: TRecordHandlerDeps): void {
  setHandler(
    recordAgencyRecordUpdate,
    ({ kind, by, statement, documentSha256, schoolYear, method, title }) => {
      const record = {
        kind,
        schoolYear: policy.agencyRecords.renewEachSchoolYear.includes(kind) ? (schoolYear ?? currentSchoolYear()) : null,
        by: by.name,
        at: nowIso(),
        statement,
        ...(documentSha256 ? { documentSha256 } : {}),
        ...(method ? { method } : {}),
        ...(title ? { title } : {}),
      };
      state.records.push(record);
      appendHistory(state.history, {
        event: 'record_added',
        stage: state.stage,
        actor: by.name,
        detail: `${kind}${record.schoolYear ? ` ${record.schoolYear}` : ''}`,
      });
      tellEveryContract();
      return record;
    },
    {
      validator: (raw) => {
        const record = parseUpdateInput(ZRecordAgencyRecordSchema, raw);
        requireStage(state.stage, ACTIVE_STAGES, 'add an agency record');
        const perYear = policy.agencyRecords.renewEachSchoolYear.includes(record.kind);
        const year = perYear ? (record.schoolYear ?? currentSchoolYear()) : null;
        if (state.records.some((r) => r.kind === record.kind && r.schoolYear === year)) {
          throw new Error(`kind: the ${record.kind} is already on file${year ? ` for ${year}` : ''}`);
        }
        recordRequests.refuseReplaced({ kind: record.kind, schoolYear: year }, record.requestNumber);
      },
    },
  );
  setHandler(
    signAttestationUpdate,
    (signature) => {
      const request = state.attestationRequests.find((r) => r.document.sha256 === signature.documentSha256)!;
      const record = {
        signedBy: { name: signature.name, title: signature.title, email: signature.email },
        signedAt: nowIso(),
        schoolYear: request.schoolYear,
        ...(signature.ipAddress ? { ipAddress: signature.ipAddress } : {}),
        ...(signature.userAgent ? { userAgent: signature.userAgent } : {}),
        ...(signature.method ? { method: signature.method } : {}),
        document: request.document,
      };
      state.attestations.push(record);
      appendHistory(state.history, { event: 'attestation_signed', stage: state.stage, actor: signature.name, detail: request.schoolYear });
      tellEveryContract();
      // Agencies that signed before this change have no sealed attestation, and replay without one.
      if (patched('sealed-attestation')) sealer.start(record);
      return record;
    },
    {
      validator: (raw) => {
        const signature = parseUpdateInput(ZSignAttestationSchema, raw);
        requireStage(state.stage, ACTIVE_STAGES, 'sign the attestation');
        if (state.attestationRequests.length === 0) throw new Error('The attestation form is not ready yet; try again in a moment');
        const request = state.attestationRequests.find((r) => r.document.sha256 === signature.documentSha256);
        if (!request) throw new Error('documentSha256: does not match an attestation form on record');
        if (state.attestations.some((a) => a.schoolYear === request.schoolYear)) {
          throw new Error(`The attestation for ${request.schoolYear} is already on file: it is signed once per agency and school year`);
        }
        if (followsUp && state.attestationRequests.filter((r) => r.schoolYear === request.schoolYear).at(-1) !== request) {
          throw new Error('documentSha256: a newer attestation request replaced this form; sign the most recent one');
        }
        if (signature.email.toLowerCase() !== state.representative.email.toLowerCase()) {
          throw new Error(`email: only the approved agency representative (${state.representative.email}) may sign`);
        }
      },
    },
  );
}

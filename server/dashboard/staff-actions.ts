import { z } from 'zod';
import type { TCpoContext } from '../../client/context';
import {
  amendContract,
  approveContract,
  declineRenewal,
  getContractStatus,
  renewContract,
  resendSignatureRequest,
  signContract,
  voidContract,
} from '../../client/contracts';
import { CpoInputError, CpoRefusedError, parseInput } from '../../client/errors';
import {
  certifyPartner,
  recordAgencyRecord,
  rejectPartner,
  resendAgencyRecordRequest,
  resendAttestationRequest,
  startPartnerReview,
  terminatePartner,
} from '../../client/partners';
import { ZReasonSchema } from '../../domain/schemas/common';
import { ZAmendContractSchema, ZRenewContractSchema } from '../../domain/schemas/contract';
import {
  checklistMeeting,
  ZCertificationChecklistSchema,
  ZRecordAgencyRecordSchema,
  ZResendAgencyRecordRequestSchema,
} from '../../domain/schemas/partner';
import type { TStaffIdentity } from '../../config/load-staff-users';
import { canApproveContract, isOffice } from '../../domain/staff-access';
import { contractScopeOf, requireAccess, type TSignedInStaff } from './require-access';

export const CONTRACT_ACTIONS = [
  'countersign',
  'resend',
  'void',
  'approve',
  'amend',
  'renew',
  'decline-renewal',
  'start-review',
  'certify',
] as const;
export const PARTNER_ACTIONS = [
  'start-review',
  'certify',
  'reject',
  'records',
  'resend-record',
  'resend-attestation',
  'terminate',
] as const;
export type TContractAction = (typeof CONTRACT_ACTIONS)[number];
export type TPartnerAction = (typeof PARTNER_ACTIONS)[number];

/** What the page says after an action went through. */
export const ACTION_NOTICES: Record<TContractAction | TPartnerAction, string> = {
  countersign: 'Countersigned. The final signed contract is being made and sent to everyone.',
  resend: 'A new signature request was sent; the earlier link and reply no longer work.',
  void: 'The contract was voided; everyone was told why.',
  approve: 'The contract is approved.',
  amend: 'The amendment is made and goes to both parties for signature; the added schools may start once it is signed.',
  renew: 'Renewed: next school year’s contract is being started.',
  'decline-renewal': 'The contract will not be renewed; it ends with its school year.',
  'start-review': 'The review has started.',
  certify: 'The partner is certified.',
  reject: 'The partner was rejected.',
  records: 'The agency record is on file.',
  'resend-record': 'A new request was sent to the representative; the earlier link and reply no longer work.',
  'resend-attestation': 'A new attestation form was sent to the representative; the earlier link and reply no longer work.',
  terminate: 'The partnership was terminated; its open contracts ended.',
};

const ZCountersignBodySchema = z.object({
  consent: z.union([z.literal(true), z.literal('yes')], { error: 'must be ticked: you agree to sign electronically' }),
});
const ZReasonBodySchema = z.object({ reason: ZReasonSchema });
const ZNoteSchema = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .transform((note) => note || undefined);
/** The form sends the ticked criteria, after a hidden empty value so the field is there when none is ticked; JSON sends the checklist. */
const tickedChecklist = (value: unknown) => (typeof value === 'string' || Array.isArray(value) ? checklistMeeting([value].flat()) : value);
const ZCertifyBodySchema = z.object({ note: ZNoteSchema, checklist: z.preprocess(tickedChecklist, ZCertificationChecklistSchema) });
/** The form lists the schools one a line; JSON sends an array. */
const schoolLines = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean)
    : value;
const ZAmendBodySchema = z.object({ addSchools: z.preprocess(schoolLines, ZAmendContractSchema.shape.addSchools), note: ZNoteSchema });
const ZRenewBodySchema = ZRenewContractSchema.pick({ changes: true });
const ZRecordBodySchema = ZRecordAgencyRecordSchema.pick({ kind: true, statement: true, schoolYear: true });
const ZResendRecordBodySchema = ZResendAgencyRecordRequestSchema.pick({ kind: true });

/** The body each kind of action takes (the property test checks the routes against them). */
export const ACTION_BODY_SCHEMAS = {
  countersign: ZCountersignBodySchema,
  reason: ZReasonBodySchema,
  amend: ZAmendBodySchema,
  renew: ZRenewBodySchema,
  certify: ZCertifyBodySchema,
  records: ZRecordBodySchema,
  'resend-record': ZResendRecordBodySchema,
};

/** What each action is called in a refusal ("your account is read-only and may not void contracts"). */
const ACTION_WORDS: Record<TContractAction | TPartnerAction, string> = {
  countersign: 'countersign contracts',
  resend: 'resend signature requests',
  void: 'void contracts',
  approve: 'approve this contract',
  amend: 'amend contracts',
  renew: 'renew contracts',
  'decline-renewal': 'decline renewals',
  'start-review': 'review partners',
  certify: 'certify partners',
  reject: 'reject partners',
  records: 'record agency records',
  'resend-record': 'resend agency record requests',
  'resend-attestation': 'resend attestation requests',
  terminate: 'terminate partnerships',
};

export interface TRequestOrigin {
  ipAddress: string;
  userAgent?: string;
}

export function parseAction<T extends readonly string[]>(actions: T, raw: string): T[number] {
  if (!actions.includes(raw)) throw CpoInputError.forField('action', `must be one of: ${actions.join(', ')}`);
  return raw;
}

const actor = (staff: TStaffIdentity) => ({ name: staff.name, email: staff.email });

/** A staff action on a contract: the same operations the CLI runs, done as the signed-in person. */
export async function runContractAction(
  context: TCpoContext,
  staff: TSignedInStaff,
  contractId: string,
  action: TContractAction,
  body: unknown,
  origin: TRequestOrigin,
): Promise<void> {
  // Checked first: a refused account changes nothing, whatever it sent.
  if (action === 'approve') {
    const status = await getContractStatus(context, contractId);
    requireAccess(staff, canApproveContract(staff.access, contractScopeOf(status)), ACTION_WORDS.approve);
  } else {
    requireAccess(staff, isOffice(staff.access), ACTION_WORDS[action]);
  }
  switch (action) {
    case 'countersign': {
      parseInput(ZCountersignBodySchema, body ?? {});
      const status = await getContractStatus(context, contractId);
      if (status.signing?.role !== 'district') {
        throw new CpoRefusedError(`Refused: the contract is ${status.stage.replace(/_/g, ' ')}, not waiting for the countersignature`);
      }
      await signContract(context, contractId, {
        role: 'district',
        name: staff.name,
        email: staff.email,
        consent: true,
        documentSha256: status.signing.document.sha256,
        method: 'dashboard',
        requestNumber: status.requestNumber,
        ...origin,
      });
      return;
    }
    case 'resend':
      await resendSignatureRequest(context, contractId, { by: actor(staff) });
      return;
    case 'void': {
      const { reason } = parseInput(ZReasonBodySchema, body ?? {});
      await voidContract(context, contractId, { by: actor(staff), reason });
      return;
    }
    case 'approve':
      await approveContract(context, contractId, { by: actor(staff) });
      return;
    case 'amend': {
      const { addSchools, note } = parseInput(ZAmendBodySchema, body ?? {});
      await amendContract(context, contractId, { by: actor(staff), addSchools, ...(note ? { note } : {}) });
      return;
    }
    case 'renew': {
      const { changes } = parseInput(ZRenewBodySchema, body ?? {});
      await renewContract(context, contractId, { by: actor(staff), changes });
      return;
    }
    case 'decline-renewal': {
      const { reason } = parseInput(ZReasonBodySchema, body ?? {});
      await declineRenewal(context, contractId, { by: actor(staff), reason });
      return;
    }
    case 'start-review':
    case 'certify': {
      const status = await getContractStatus(context, contractId);
      await runPartnerAction(context, staff, status.request.partnerId, action, body);
      return;
    }
  }
}

export async function runPartnerAction(
  context: TCpoContext,
  staff: TSignedInStaff,
  partnerId: string,
  action: TPartnerAction,
  body: unknown,
): Promise<void> {
  requireAccess(staff, isOffice(staff.access), ACTION_WORDS[action]);
  switch (action) {
    case 'start-review':
      await startPartnerReview(context, partnerId, { reviewer: actor(staff) });
      return;
    case 'certify': {
      const { note, checklist } = parseInput(ZCertifyBodySchema, body ?? {});
      await certifyPartner(context, partnerId, { reviewer: actor(staff), checklist, ...(note ? { note } : {}) });
      return;
    }
    case 'reject': {
      const { reason } = parseInput(ZReasonBodySchema, body ?? {});
      await rejectPartner(context, partnerId, { reviewer: actor(staff), reason });
      return;
    }
    case 'records':
      await recordAgencyRecord(context, partnerId, { ...parseInput(ZRecordBodySchema, body ?? {}), by: actor(staff), method: 'dashboard' });
      return;
    case 'resend-record':
      await resendAgencyRecordRequest(context, partnerId, { ...parseInput(ZResendRecordBodySchema, body ?? {}), by: actor(staff) });
      return;
    case 'resend-attestation':
      await resendAttestationRequest(context, partnerId, { by: actor(staff) });
      return;
    case 'terminate': {
      const { reason } = parseInput(ZReasonBodySchema, body ?? {});
      await terminatePartner(context, partnerId, { by: actor(staff), reason });
      return;
    }
  }
}

import { z } from 'zod';
import type { TCpoContext } from '../../client/context';
import { getContractStatus, resendSignatureRequest, signContract, voidContract } from '../../client/contracts';
import { CpoInputError, CpoRefusedError, parseInput } from '../../client/errors';
import { certifyPartner, rejectPartner, startPartnerReview } from '../../client/partners';
import { ZReasonSchema } from '../../domain/schemas/common';
import type { TStaffIdentity } from '../../config/load-staff-users';

export const CONTRACT_ACTIONS = ['countersign', 'resend', 'void', 'start-review', 'certify'] as const;
export const PARTNER_ACTIONS = ['start-review', 'certify', 'reject'] as const;
export type TContractAction = (typeof CONTRACT_ACTIONS)[number];
export type TPartnerAction = (typeof PARTNER_ACTIONS)[number];

/** What the page says after an action went through. */
export const ACTION_NOTICES: Record<TContractAction | TPartnerAction, string> = {
  countersign: 'Countersigned. The final signed contract is being made and sent to everyone.',
  resend: 'A new signature request was sent; the earlier link and reply no longer work.',
  void: 'The contract was voided; everyone was told why.',
  'start-review': 'The review has started.',
  certify: 'The partner is certified.',
  reject: 'The partner was rejected.',
};

const ZCountersignBodySchema = z.object({
  consent: z.union([z.literal(true), z.literal('yes')], { error: 'must be ticked: you agree to sign electronically' }),
});
const ZVoidBodySchema = z.object({ reason: ZReasonSchema });
const ZRejectBodySchema = z.object({ reason: ZReasonSchema });
const ZCertifyBodySchema = z.object({ note: z.string().trim().max(2000).optional().transform((note) => note || undefined) });

export interface TRequestOrigin {
  ipAddress: string;
  userAgent?: string;
}

export function parseAction<T extends readonly string[]>(actions: T, raw: string): T[number] {
  if (!actions.includes(raw)) throw CpoInputError.forField('action', `must be one of: ${actions.join(', ')}`);
  return raw as T[number];
}

const actor = (staff: TStaffIdentity) => ({ name: staff.name, email: staff.email });

/** A staff action on a contract: the same operations the CLI runs, done as the signed-in person. */
export async function runContractAction(
  context: TCpoContext,
  staff: TStaffIdentity,
  contractId: string,
  action: TContractAction,
  body: unknown,
  origin: TRequestOrigin,
): Promise<void> {
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
      const { reason } = parseInput(ZVoidBodySchema, body ?? {});
      await voidContract(context, contractId, { by: actor(staff), reason });
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
  staff: TStaffIdentity,
  partnerId: string,
  action: TPartnerAction,
  body: unknown,
): Promise<void> {
  switch (action) {
    case 'start-review':
      await startPartnerReview(context, partnerId, { reviewer: actor(staff) });
      return;
    case 'certify': {
      const { note } = parseInput(ZCertifyBodySchema, body ?? {});
      await certifyPartner(context, partnerId, { reviewer: actor(staff), ...(note ? { note } : {}) });
      return;
    }
    case 'reject': {
      const { reason } = parseInput(ZRejectBodySchema, body ?? {});
      await rejectPartner(context, partnerId, { reviewer: actor(staff), reason });
      return;
    }
  }
}

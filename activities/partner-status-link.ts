import type { TParsedNotification } from '../domain/schemas/notification';
import { createPartnerStatusToken, partnerStatusUrl } from '../security/partner-status-token';
import type { TSigningLinks } from './signing-links';

/** The partner of a contract and its representative's address (null when the contract or partner is not found). */
export type TFindRepresentative = (contractId: string) => Promise<{ partnerId: string; email: string } | null>;

/**
 * The link to the partner's own page for an email that reaches its representative: bound to the partner and that
 * address. An email that reaches only other people (district staff, a signer who is not the representative) has none.
 */
export async function makePartnerStatusLink(
  notification: TParsedNotification,
  signing: TSigningLinks,
  findRepresentative: TFindRepresentative | undefined,
  nowMs: number,
): Promise<string | undefined> {
  const partner =
    'contract' in notification
      ? await findRepresentative?.(notification.contract.contractId)
      : { partnerId: notification.partnerId, email: notification.to[0]! };
  if (!partner) return undefined;
  const recipients = [...notification.to, ...notification.cc].map((address) => address.toLowerCase());
  if (!recipients.includes(partner.email.toLowerCase())) return undefined;
  return partnerStatusUrl(signing.publicUrl, createPartnerStatusToken(partner.partnerId, partner.email, signing.secret, nowMs));
}

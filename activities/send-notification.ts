import { createHash } from 'node:crypto';
import type { TReplyPrefix } from '../domain/vocabulary';
import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { formatZodError } from '../domain/format-zod-error';
import { ZNotificationSchema, type TNotification, type TParsedNotification } from '../domain/schemas/notification';
import { createApprovalToken } from '../security/approval-token';
import { createAgencyRecordToken } from '../security/agency-record-token';
import { createAttestationRequestToken } from '../security/attestation-token';
import { createSigningToken } from '../security/signing-token';
import { renderNotification } from './email/render-notification';
import { makePartnerStatusLink, type TFindRepresentative } from './partner-status-link';
import type { TSigningLinks } from './signing-links';
import type { DocumentStore } from './storage/document-store';
import type { SentMailLog } from './storage/sent-mail-log';

export interface TSendNotificationDeps {
  mailer: Transporter;
  documents: DocumentStore;
  sentMail: SentMailLog;
  from: string;
  signing: TSigningLinks;
  /** The district's time zone: every time in an email is shown in it. */
  timeZone: string;
  /** How long an attestation link works when the request names no deadline (the policy's signature expiry). */
  attestationExpiresAfterMs: number;
  /** Finds a contract's partner, for the link to the partner's page in contract emails (none without it). */
  findRepresentative?: TFindRepresentative;
}

/**
 * The reply address carries the whole token, usually 150-250 characters: far over RFC 5321's 64-octet limit on a
 * local part (section 4.5.3.1.1). smtp-server, the inbound listener, does not enforce that limit (checked: a
 * 170-character local part is accepted, its case kept); it enforces the path limit instead, local part + "@" +
 * domain at most 253 octets (256 with the angle brackets). A relay in front of the listener must also accept long
 * local parts and keep their case (base64url is case-sensitive). A request whose address would pass 253 octets
 * (very long contract ids or signer addresses) keeps the office's own address as Reply-To: replies then reach a
 * person, and the signing link still works.
 */
export const MAX_REPLY_ADDRESS_LENGTH = 253;

/** The token of a signature request: bound to the contract, the role, the signer, the request, until its deadline. */
function signingTokenFor(notification: TParsedNotification, signing: TSigningLinks): string | undefined {
  if (notification.kind !== 'signature_request') return undefined;
  return createSigningToken(
    {
      contractId: notification.contract.contractId,
      role: notification.signerRole,
      email: notification.to[0]!,
      requestNumber: notification.requestNumber,
      expiresAt: Math.floor(Date.parse(notification.deadline) / 1000),
    },
    signing.secret,
  );
}

/** The link and reply address of an attestation request: `/attest/<token>`, `attest+<token>@<replyDomain>`. */
function attestationTokenFor(notification: TParsedNotification, signing: TSigningLinks, deadline: string): string | undefined {
  if (notification.kind !== 'attestation_request' || !notification.schoolYear) return undefined;
  const { partnerId, schoolYear, requestNumber, documentSha256 } = notification;
  return createAttestationRequestToken(
    { partnerId, schoolYear, email: notification.to[0]!, requestNumber, documentSha256, deadline },
    signing.secret,
  );
}

/** The plus-address replies to a request go to, carrying the same token as the link (`sign+`, `approve+`, `attest+`, `record+`). */
export function replyAddressFor(token: string, replyDomain: string, prefix: TReplyPrefix = 'sign'): string | undefined {
  const address = `${prefix}+${token}@${replyDomain}`;
  return address.length <= MAX_REPLY_ADDRESS_LENGTH ? address : undefined;
}

/** The reply address under the From's display name: `Community Partnerships Office <sign+…@…>`. */
function withDisplayName(address: string, from: string): string | { name: string; address: string } {
  const name = /^\s*"?([^"<]*?)"?\s*</.exec(from)?.[1]?.trim();
  return name ? { name, address } : address;
}

/** The token of an approval request: bound to the contract, the approver and the request, until its deadline. */
function approvalTokenFor(notification: TParsedNotification, signing: TSigningLinks): string | undefined {
  if (notification.kind !== 'approval_request' || notification.requestNumber === undefined || !notification.deadline) return undefined;
  // Reminders carry the same token as the request they remind of.
  const claims = {
    contractId: notification.contract.contractId,
    email: notification.to[0]!,
    requestNumber: notification.requestNumber,
    expiresAt: Math.floor(Date.parse(notification.deadline) / 1000),
  };
  return createApprovalToken(claims, signing.secret);
}

/** The link of an agency record request: `/affirm/<token>`. */
function agencyRecordTokenFor(notification: TParsedNotification, signing: TSigningLinks): string | undefined {
  if (notification.kind !== 'agency_record_request') return undefined;
  const { partnerId, recordKind: kind, schoolYear, requestNumber, deadline } = notification;
  return createAgencyRecordToken(
    { partnerId, kind, schoolYear, email: notification.to[0]!, requestNumber, expiresAt: Math.floor(Date.parse(deadline) / 1000) },
    signing.secret,
  );
}

/** The link and reply address a request carries, if it is one. */
function linkFor(
  notification: TParsedNotification,
  signing: TSigningLinks,
): { token: string; path: string; prefix?: TReplyPrefix } | undefined {
  const approvalToken = approvalTokenFor(notification, signing);
  if (approvalToken) return { token: approvalToken, path: 'approve', prefix: 'approve' };
  const signingToken = signingTokenFor(notification, signing);
  if (signingToken) return { token: signingToken, path: 'sign', prefix: 'sign' };
  const attestationToken =
    notification.kind === 'attestation_request' ? attestationTokenFor(notification, signing, notification.deadline!) : undefined;
  if (attestationToken) return { token: attestationToken, path: 'attest', prefix: 'attest' };
  const agencyRecordToken = agencyRecordTokenFor(notification, signing);
  return agencyRecordToken ? { token: agencyRecordToken, path: 'affirm', prefix: 'record' } : undefined;
}

export interface TSendResult {
  messageId: string;
  /** True when this key was sent before and nothing new went out. */
  alreadySent: boolean;
}

/**
 * Sends one email at most once per idempotency key: a retry after a send that succeeded finds the record
 * and returns. The Message-ID is derived from the key too, so a receiver can spot the rare duplicate that a
 * crash between sending and recording lets through.
 */
export const sendNotification =
  ({ mailer, documents, sentMail, from, signing, timeZone, attestationExpiresAfterMs, findRepresentative }: TSendNotificationDeps) =>
  async (raw: TNotification): Promise<TSendResult> => {
    const parsed = ZNotificationSchema.safeParse(raw);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`Invalid notification: ${formatZodError(parsed.error)}`, 'InvalidInput');
    }
    const notification =
      parsed.data.kind === 'attestation_request' && !parsed.data.deadline
        ? { ...parsed.data, deadline: new Date(Date.now() + attestationExpiresAfterMs).toISOString() }
        : parsed.data;
    const previous = await sentMail.find(notification.idempotencyKey);
    if (previous) return { messageId: previous.messageId, alreadySent: true };

    const link = linkFor(notification, signing);
    const replyAddress = link?.prefix ? replyAddressFor(link.token, signing.replyDomain, link.prefix) : undefined;
    const statusUrl = await makePartnerStatusLink(notification, signing, findRepresentative, Date.now());
    const email = renderNotification(notification, timeZone, {
      ...(link ? { signingUrl: `${signing.publicUrl.replace(/\/$/, '')}/${link.path}/${link.token}` } : {}),
      ...(replyAddress ? { replyAddress } : {}),
      ...(statusUrl ? { statusUrl } : {}),
    });
    const attachments = await Promise.all(
      notification.attachments.map(async (ref) => ({
        filename: ref.filename,
        content: Buffer.from(await documents.get(ref)),
        contentType: 'application/pdf',
      })),
    );
    const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'cpo.invalid';
    const messageId = `<${createHash('sha256').update(notification.idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
    try {
      await mailer.sendMail({
        from,
        // A signature or approval request's replies go to the inbound listener, which reads the token from the address.
        replyTo: replyAddress ? withDisplayName(replyAddress, from) : from,
        to: notification.to,
        cc: notification.cc,
        subject: email.subject,
        text: email.text,
        html: email.html,
        attachments,
        messageId,
        // For mail filters and operations: which email and which contract or partner it is about.
        headers: {
          'X-CPO-Notification': notification.kind,
          ...('contract' in notification
            ? { 'X-CPO-Contract': notification.contract.contractId }
            : { 'X-CPO-Partner': notification.partnerId }),
        },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx answers (unknown mailbox, refused sender) will not change on retry; connection errors will.
      if (code !== undefined && code >= 500) {
        throw ApplicationFailure.nonRetryable(`Mail server refused the message: ${(error as Error).message}`, 'MailRejected');
      }
      throw error;
    }
    // The mail went out: failing now (the store is down) would have the retry send it again. The record only guards a
    // retry after a crash between here and the activity's completion, so without it the email is still sent once.
    await sentMail
      .record({ idempotencyKey: notification.idempotencyKey, messageId, sentAt: new Date().toISOString(), to: notification.to })
      .catch((error: unknown) => {
        log.warn('Email sent but not recorded in the sent-mail log', { messageId, error: String(error) });
      });
    return { messageId, alreadySent: false };
  };

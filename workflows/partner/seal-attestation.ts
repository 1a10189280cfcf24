import type { TSignatureRecord, TSigningEvent } from '../../domain/schemas/contract';
import type { TAttestationRecord, TPartnerStatus } from '../../domain/schemas/partner';
import { documents, mail } from '../activities';
import { appendHistory, idempotencyKey, nowIso } from '../support';

/** Every request of the school year (sent, viewed, reminded), then the signature, for the certificate of completion. */
export function attestationEvents(state: TPartnerStatus, record: TAttestationRecord, signature: TSignatureRecord): TSigningEvent[] {
  const { name, email } = state.representative;
  const requests = state.attestationRequests.filter((request) => request.schoolYear === record.schoolYear);
  const events = requests.flatMap((request, index): TSigningEvent[] => {
    const requestNumber = index + 1;
    const event = (at: string, type: TSigningEvent['type'], detail?: string): TSigningEvent => ({
      at,
      type,
      role: 'partner',
      name,
      email,
      requestNumber,
      documentSha256: request.document.sha256,
      ...(detail ? { detail } : {}),
    });
    const reminders = state.history.filter(
      (entry) => entry.event === 'attestation_reminded' && entry.detail?.startsWith(`${request.schoolYear} request #${requestNumber},`),
    );
    return [
      event(request.requestedAt, index === 0 ? 'sent' : 'resent'),
      ...(request.viewedAt ? [event(request.viewedAt, 'viewed')] : []),
      ...reminders.map((entry) => event(entry.at, 'reminded', entry.detail)),
    ];
  });
  const { signedAt, method: _method, title: _title, ...signer } = signature;
  return [
    ...events.sort((a, b) => a.at.localeCompare(b.at)),
    { ...signer, at: signedAt, type: 'signed', detail: `signed by ${signature.method.replace('_', ' ')}` },
  ];
}

/** The signature of a signed attestation, as its signature page shows it. */
function signatureOf(state: TPartnerStatus, record: TAttestationRecord): TSignatureRecord {
  const requests = state.attestationRequests.filter((request) => request.schoolYear === record.schoolYear);
  return {
    role: 'partner',
    ...record.signedBy,
    signedAt: record.signedAt,
    method: record.method ?? 'cli',
    ...(record.ipAddress ? { ipAddress: record.ipAddress } : {}),
    ...(record.userAgent ? { userAgent: record.userAgent } : {}),
    requestNumber: requests.map((request) => request.document.sha256).lastIndexOf(record.document.sha256) + 1,
    documentSha256: record.document.sha256,
  };
}

/**
 * Seals each signed attestation in the background (the signer's update does not wait for it): the sealed PDF, kept on
 * the record, then emailed to the representative. `busy` holds continue-as-new until the last one is done.
 */
export function sealAttestations(state: TPartnerStatus) {
  let sealing = 0;
  async function seal(record: TAttestationRecord): Promise<void> {
    const schoolYear = record.schoolYear!;
    const signature = signatureOf(state, record);
    record.sealed = await documents.generateSignedAttestationPdf({
      form: record.document,
      partnerId: state.partnerId,
      organizationName: state.organizationName,
      schoolYear,
      signature,
      events: attestationEvents(state, record, signature),
      generatedAt: nowIso(),
    });
    appendHistory(state.history, {
      event: 'attestation_sealed',
      stage: state.stage,
      detail: `${schoolYear}: SHA-256 ${record.sealed.sha256}`,
    });
    try {
      await mail.sendNotification({
        kind: 'attestation_signed',
        idempotencyKey: idempotencyKey(`attestation-signed/${schoolYear}`),
        to: [record.signedBy.email],
        attachments: [record.sealed],
        organizationName: state.organizationName,
        representativeName: record.signedBy.name,
        partnerId: state.partnerId,
        schoolYear,
        signedAt: record.signedAt,
        documentSha256: record.sealed.sha256,
      });
    } catch (error) {
      appendHistory(state.history, { event: 'email_failed', stage: state.stage, detail: String(error) });
    }
  }
  return {
    start(record: TAttestationRecord): void {
      sealing += 1;
      void seal(record).finally(() => (sealing -= 1));
    },
    busy: (): boolean => sealing > 0,
  };
}

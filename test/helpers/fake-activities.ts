import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { createActivities } from '../../activities';
import { startRenewalContract, type TRenewalContracts } from '../../activities/start-renewal-contract';
import { documentIdOf } from '../../activities/storage/document-store';
import type { TDocumentRef } from '../../domain/schemas/common';
import { ZNotificationSchema, type TParsedNotification } from '../../domain/schemas/notification';

type TActivities = ReturnType<typeof createActivities>;

const fakeDocument = (kind: TDocumentRef['kind'], filename: string, seed: unknown): TDocumentRef => {
  const sha256 = createHash('sha256').update(JSON.stringify(seed)).digest('hex');
  return { id: documentIdOf(kind, sha256), kind, filename, sha256, size: 1234 };
};

/**
 * Typed fakes for tests whose point is the workflows' logic: they record what the workflows asked for. Renewals
 * run the real activity when a test gives it a way to start contracts (renewalContractsFor a test context).
 */
export function createFakeActivities(options: { renewals?: TRenewalContracts } = {}) {
  const sent: TParsedNotification[] = [];
  const activities: TActivities = {
    generateContractPdf: (input) => Promise.resolve(fakeDocument('contract', `contract-${input.request.contractId}.pdf`, input.request)),
    generateAttestationPdf: (input) =>
      Promise.resolve(
        fakeDocument('attestation', `attestation-${input.partnerId}-${input.schoolYear}.pdf`, [
          input.partnerId,
          input.schoolYear,
          ...(input.requestNumber ? [input.requestNumber] : []),
        ]),
      ),
    generateExecutedContractPdf: (input) =>
      Promise.resolve(fakeDocument('executed_contract', `contract-${input.contractId}-executed.pdf`, input.signatures)),
    generateSignedAttestationPdf: (input) =>
      Promise.resolve(
        fakeDocument('attestation', `attestation-${input.partnerId}-${input.schoolYear}-signed.pdf`, [input.form.sha256, input.signature]),
      ),
    sendNotification: (raw) => {
      sent.push(ZNotificationSchema.parse(raw));
      return Promise.resolve({ messageId: `<${sent.length}@test>`, alreadySent: false });
    },
    startRenewalContract: options.renewals
      ? startRenewalContract(options.renewals)
      : () => Promise.reject(ApplicationFailure.nonRetryable('this test starts no renewals', 'RenewalRefused')),
  };
  return { activities, sent };
}

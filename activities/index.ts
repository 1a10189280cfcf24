import type { Transporter } from 'nodemailer';
import { generateAttestationPdf } from './generate-attestation-pdf';
import { generateContractPdf } from './generate-contract-pdf';
import { durationToMs } from '../domain/durations';
import { generateExecutedContractPdf } from './generate-executed-contract-pdf';
import { generateSignedAttestationPdf } from './generate-signed-attestation-pdf';
import type { TDistrictSeal } from './pdf/sign-pdf';
import type { TFindRepresentative } from './partner-status-link';
import { sendNotification } from './send-notification';
import type { TSigningLinks } from './signing-links';
import { startRenewalContract, type TRenewalContracts } from './start-renewal-contract';
import type { DocumentStore } from './storage/document-store';
import type { SentMailLog } from './storage/sent-mail-log';

export interface TActivityDeps {
  mailer: Transporter;
  documents: DocumentStore;
  sentMail: SentMailLog;
  /** The From address of every email, and the Reply-To of all but signature requests. */
  mailFrom: string;
  /** Signing links and, for signature requests, the Reply-To `sign+<token>@<signing.replyDomain>`. */
  signing: TSigningLinks;
  /** Starts next school year's contracts (through the Temporal client, under the current policy). */
  renewals: TRenewalContracts;
  /** Digitally signs every executed document, with the certificate configuration loaded at start. */
  districtSeal: TDistrictSeal;
  /** A contract's partner and representative, for the partner page link in contract emails. */
  findRepresentative?: TFindRepresentative;
}

export function createActivities({
  mailer,
  documents,
  sentMail,
  mailFrom,
  signing,
  renewals,
  districtSeal,
  findRepresentative,
}: TActivityDeps) {
  // Times in emails and PDFs are shown in the district's time zone, from the current policy.
  const { timeZone } = renewals.policy;
  return {
    generateContractPdf: generateContractPdf({ documents, timeZone }),
    generateAttestationPdf: generateAttestationPdf({ documents, timeZone }),
    generateExecutedContractPdf: generateExecutedContractPdf({ documents, timeZone, districtSeal }),
    generateSignedAttestationPdf: generateSignedAttestationPdf({ documents, timeZone, districtSeal }),
    sendNotification: sendNotification({
      mailer,
      documents,
      sentMail,
      from: mailFrom,
      signing,
      timeZone,
      attestationExpiresAfterMs: durationToMs(renewals.policy.signature.expireAfter),
      ...(findRepresentative ? { findRepresentative } : {}),
    }),
    startRenewalContract: startRenewalContract(renewals),
  };
}

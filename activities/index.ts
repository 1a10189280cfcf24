import type { Transporter } from 'nodemailer';
import { generateAttestationPdf } from './generate-attestation-pdf';
import { generateContractPdf } from './generate-contract-pdf';
import { generateExecutedContractPdf } from './generate-executed-contract-pdf';
import { sendNotification, type TSigningLinks } from './send-notification';
import type { DocumentStore } from './storage/document-store';
import type { SentMailLog } from './storage/sent-mail-log';

export interface TActivityDeps {
  mailer: Transporter;
  documents: DocumentStore;
  sentMail: SentMailLog;
  /** The From (and Reply-To) address of every email. */
  mailFrom: string;
  signing: TSigningLinks;
}

export function createActivities({ mailer, documents, sentMail, mailFrom, signing }: TActivityDeps) {
  return {
    generateContractPdf: generateContractPdf({ documents }),
    generateAttestationPdf: generateAttestationPdf({ documents }),
    generateExecutedContractPdf: generateExecutedContractPdf({ documents }),
    sendNotification: sendNotification({ mailer, documents, sentMail, from: mailFrom, signing }),
  };
}

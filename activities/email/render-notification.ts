import type { TContractSummary, TParsedNotification } from '../../domain/schemas/notification';
import { formatInstant } from '../../domain/format-instant';
import { formatAmount } from '../../domain/format-amount';
import { APPROVAL_REQUEST_LABEL } from '../../domain/email-text';
import { RECORD_LABELS } from '../../domain/labels';
import { renderBlocks, type TBlock, type TRenderedEmail } from './render-blocks';

export interface TSigningRoutes {
  signingUrl?: string;
  /** Set when replies to this email reach the inbound listener (inbound/), which reads them automatically. */
  replyAddress?: string;
  /** The partner's own page, in every email that reaches its representative. */
  statusUrl?: string;
}

/** Times are shown in `timeZone`, the district's, with its abbreviation. */
export function renderNotification(notification: TParsedNotification, timeZone: string, links: TSigningRoutes = {}): TRenderedEmail {
  const composed = compose(notification, links, (iso) => formatInstant(iso, timeZone));
  // The district's own wording from its policy file: its subject, and its paragraph after the greeting.
  const custom = notification.customText;
  const subject = custom?.subject ?? composed.subject;
  const blocks = custom?.intro ? [composed.blocks[0]!, { paragraph: custom.intro }, ...composed.blocks.slice(1)] : composed.blocks;
  const status: TBlock[] = links.statusUrl
    ? [
        {
          paragraph: 'Your organization’s page shows your application, what the agency must still sign and every contract with its stage:',
        },
        { link: { label: 'Your organization’s page', url: links.statusUrl } },
      ]
    : [];
  return renderBlocks(subject, [...blocks, ...status]);
}

function compose(n: TParsedNotification, links: TSigningRoutes, when: (iso: string) => string): { subject: string; blocks: TBlock[] } {
  switch (n.kind) {
    case 'attestation_request': {
      const reminder = n.reminderNumber > 0;
      return {
        subject: `${reminder ? 'Reminder: ' : ''}Safety protocol attestation for ${n.organizationName}${n.schoolYear ? `, school year ${n.schoolYear}` : ''}${n.requestNumber > 1 ? ` (request #${n.requestNumber})` : ''}`,
        blocks: [
          { paragraph: `Dear ${n.representativeName},` },
          {
            paragraph: `${reminder ? `This is reminder ${n.reminderNumber}: the attestation below is still waiting for your signature. ` : ''}${n.district} asks an approved representative of ${n.organizationName} to sign the attached health and safety protocol attestation. It is signed once for the whole agency, not by each staff member, and your contracts cannot move forward until it is on file.`,
          },
          {
            facts: [
              ['Partner id', n.partnerId],
              ...(n.schoolYear ? [['School year', n.schoolYear] as [string, string]] : []),
              ...(n.deadline ? [['Sign by', when(n.deadline)] as [string, string]] : []),
              ['Document SHA-256', n.documentSha256],
            ],
          },
          ...(links.signingUrl ? [{ link: { label: 'Review and sign online', url: links.signingUrl } }] : []),
          {
            paragraph: links.replyAddress
              ? `${links.signingUrl ? 'Or reply instead: ' : 'How to sign: '}read the attached PDF, then reply to this email from ${n.to[0]}: write "I agree to sign" and your full name and title on lines of their own, such as "Name: ${n.representativeName}" and "Title: …", or return the attached PDF unchanged. Consent must be written or electronic, never verbal. A reply that does not say this gets an automatic answer saying what is missing. This link and this reply address work only for you and only for this request; a newer request replaces them.`
              : `To sign: reply to this email saying that you agree to sign the attestation electronically, with your full name and title. Consent must be written or electronic, never verbal.`,
          },
        ],
      };
    }
    case 'agency_record_request': {
      const label = RECORD_LABELS[n.recordKind];
      const reminder = n.reminderNumber > 0;
      return {
        subject: `${reminder ? 'Reminder: ' : ''}${label[0]!.toUpperCase()}${label.slice(1)} for ${n.organizationName}${n.schoolYear ? `, school year ${n.schoolYear}` : ''}${n.requestNumber > 1 ? ` (request #${n.requestNumber})` : ''}`,
        blocks: [
          { paragraph: `Dear ${n.representativeName},` },
          {
            paragraph: `${reminder ? `This is reminder ${n.reminderNumber}: the record below is still waiting for your affirmation. ` : ''}${n.district} needs the ${label} of ${n.organizationName} on file before a contract of the agency can move forward. It is given once for the whole agency${n.schoolYear ? ' and school year' : ''}, by its approved representative. The statement to affirm:`,
          },
          { paragraph: n.statement },
          {
            facts: [
              ['Partner id', n.partnerId],
              ...(n.schoolYear ? [['School year', n.schoolYear] as [string, string]] : []),
              ['Affirm by', when(n.deadline)],
            ],
          },
          ...(links.signingUrl ? [{ link: { label: 'Review and affirm online', url: links.signingUrl } }] : []),
          {
            paragraph: `${links.replyAddress ? `Or reply instead: reply to this email from ${n.to[0]} with the words "I affirm" and your full name and title on lines of their own, such as "Name: ${n.representativeName}" and "Title: …". A reply that does not say this gets an automatic answer saying what is missing. This link and this reply address work` : 'This link works'} only for you and only for this request; a newer request replaces ${links.replyAddress ? 'them' : 'it'}. If the agency cannot affirm this, contact the Community Partnerships Office.`,
          },
        ],
      };
    }
    case 'signature_request': {
      const reminder = n.reminderNumber > 0;
      const what = n.signerRole === 'partner' ? 'sign' : 'countersign';
      const document = n.amendmentNumber ? `amendment ${n.amendmentNumber} to the contract` : 'the contract';
      return {
        subject: `${reminder ? 'Reminder: ' : ''}Please ${what} ${document} for ${n.contract.programName} (request #${n.requestNumber})`,
        blocks: [
          { paragraph: `Dear ${n.signerName},` },
          {
            paragraph: reminder
              ? `This is reminder ${n.reminderNumber}: the contract below is still waiting for your signature.`
              : n.amendmentNumber
                ? `${n.contract.district} asks you to ${what} the attached amendment ${n.amendmentNumber}, which adds schools to the contract. The program may start at the added schools only once both parties have signed it.`
                : `${n.contract.district} asks you to ${what} the attached contract. The program cannot start at any school until the final signed contract exists.`,
          },
          { facts: contractFacts(n.contract) },
          {
            facts: [
              ['Request number', String(n.requestNumber)],
              ['Sign by', when(n.deadline)],
              ['Document SHA-256', n.documentSha256],
            ],
          },
          ...(links.signingUrl ? [{ link: { label: `Review and ${what} online`, url: links.signingUrl } }] : []),
          links.replyAddress
            ? {
                paragraph: `${links.signingUrl ? 'Or reply instead: ' : 'How to sign: '}read the attached PDF, then reply to this email from ${n.to[0]} to sign contract ${n.contract.contractId} electronically: write "I agree to sign" and your full name on a line of its own, such as "Name: ${n.signerName}" (add "Title: …" if you like), or return the attached PDF unchanged. Your signature is recorded against the document fingerprint above; a reply that does not say this gets an automatic answer saying what is missing. ${n.signerRole === 'partner' ? 'To decline, follow the link or reply with "I decline" and the reason. ' : ''}This link and this reply address work only for you and only for this request; a newer request replaces them.`,
              }
            : {
                paragraph: `${links.signingUrl ? 'Or reply instead: ' : 'How to sign: '}read the attached PDF, then reply to this email saying that you agree to sign contract ${n.contract.contractId} electronically, with your full name and title, and quote request #${n.requestNumber}. The office records your signature against the document fingerprint above. To decline, follow the link or reply with the reason. This link works only for you and only for this request; a newer request replaces it.`,
              },
        ],
      };
    }
    case 'attestation_signed':
      return {
        subject: `Signed: safety protocol attestation for ${n.organizationName}, school year ${n.schoolYear}`,
        blocks: [
          { paragraph: `Dear ${n.representativeName},` },
          {
            paragraph: `The health and safety protocol attestation of ${n.organizationName} for ${n.schoolYear} is signed. The signed attestation is attached: the form, its signature page and certificate of completion, digitally signed by the district.`,
          },
          {
            facts: [
              ['Partner id', n.partnerId],
              ['School year', n.schoolYear],
              ['Signed at', when(n.signedAt)],
              ['Document SHA-256', n.documentSha256],
            ],
          },
        ],
      };
    case 'contract_executed':
      if (n.amendmentNumber) {
        return {
          subject: `Amendment ${n.amendmentNumber} executed: ${n.contract.programName}`,
          blocks: [
            {
              paragraph: `Amendment ${n.amendmentNumber} to the contract for ${n.contract.programName} is signed by both parties and attached. The program may now start at every school listed below.`,
            },
            { facts: contractFacts(n.contract) },
          ],
        };
      }
      return {
        subject: `Contract executed: ${n.contract.programName}`,
        blocks: [
          { paragraph: `The contract for ${n.contract.programName} is signed by both parties. The final signed contract is attached.` },
          { facts: [...contractFacts(n.contract), ['Program may start', when(n.goLiveAt)]] },
          { paragraph: 'The program may start at the listed schools from the go-live date, not before.' },
        ],
      };
    case 'contract_live':
      return {
        subject: `Program may start: ${n.contract.programName}`,
        blocks: [
          { paragraph: `The go-live date of the contract for ${n.contract.programName} has come. The program may now start.` },
          { facts: contractFacts(n.contract) },
        ],
      };
    case 'contract_closed':
      return {
        subject: `Contract ${n.stage}: ${n.contract.programName}`,
        blocks: [
          { paragraph: `The contract for ${n.contract.programName} is ${n.stage}: ${n.reason}.` },
          { facts: contractFacts(n.contract) },
          { paragraph: 'The program may not start under this contract. Contact the Community Partnerships Office with any questions.' },
        ],
      };
    case 'approval_request':
      if (n.requestNumber === undefined || !n.deadline) {
        return {
          subject: `Please approve the contract for ${n.contract.programName}`,
          blocks: [
            { paragraph: 'Hello,' },
            {
              paragraph: `${n.initiatedBy} initiated the contract below. Under ${n.contract.district}'s policy it goes to the partner for signature only after your approval. Approve it, as ${n.approverEmail}, on the contract's page of the ops dashboard or with \`cpo contract approve ${n.contract.contractId} --by-email ${n.approverEmail}\`.`,
            },
            { facts: contractFacts(n.contract) },
          ],
        };
      }
      return approvalRequestEmail({ ...n, requestNumber: n.requestNumber, deadline: n.deadline }, links, when);
    case 'approval_sent_back':
      return {
        subject: `Sent back, not approved: the contract for ${n.contract.programName}`,
        blocks: [
          { paragraph: 'Hello,' },
          { paragraph: `${n.sentBackBy} sent the contract below back instead of approving it, with this reason:` },
          { paragraph: n.reason },
          { facts: contractFacts(n.contract) },
          {
            paragraph: `The contract is voided and the partner was not asked to sign it. To go ahead, start a corrected contract (with a new contract id); it goes to the approver again.`,
          },
        ],
      };
    case 'renewal_request':
      return {
        subject: `${n.reminderNumber > 0 ? 'Reminder: ' : ''}Renew ${n.contract.programName} for ${n.nextSchoolYear}?`,
        blocks: [
          { paragraph: 'Hello,' },
          {
            paragraph: `The contract below ends with the school year. If the program continues in ${n.nextSchoolYear}, renew it so next year's contract can be signed before school starts: a program without a signed contract for the new year may not start. Decide by ${when(n.decideBy)} on the contract's page of the ops dashboard, or with \`cpo contract renew ${n.contract.contractId}\` (or \`cpo contract decline-renewal\`).`,
          },
          { facts: contractFacts(n.contract) },
        ],
      };
  }
}

type TApprovalRequest = Extract<TParsedNotification, { kind: 'approval_request' }> & { requestNumber: number; deadline: string };

/** An approval request with its link (Approve / Send back) and, when replies reach the listener, how to reply. */
function approvalRequestEmail(
  n: TApprovalRequest,
  links: TSigningRoutes,
  when: (iso: string) => string,
): { subject: string; blocks: TBlock[] } {
  const reminder = n.reminderNumber > 0;
  return {
    subject: `${reminder ? 'Reminder: ' : ''}Please approve the contract for ${n.contract.programName} (approval request #${n.requestNumber})`,
    blocks: [
      { paragraph: 'Hello,' },
      {
        paragraph: reminder
          ? `This is reminder ${n.reminderNumber}: the contract below, initiated by ${n.initiatedBy}, is still waiting for your approval.`
          : `${n.initiatedBy} initiated the contract below. Under ${n.contract.district}'s policy it goes to the partner for signature only after your approval, as ${n.approverEmail}.`,
      },
      { facts: [...contractFacts(n.contract), [APPROVAL_REQUEST_LABEL, `#${n.requestNumber}`], ['Decide by', when(n.deadline)]] },
      ...(links.signingUrl ? [{ link: { label: 'Review and approve or send back online', url: links.signingUrl } }] : []),
      {
        paragraph: links.replyAddress
          ? `${links.signingUrl ? 'Or reply instead' : 'Or reply'}, from ${n.approverEmail}: write "I approve" to approve; or write "send back" (or "I do not approve") with the reason, for example on a line "Reason: …", to send it back to ${n.initiatedBy}. A reply that says neither gets an automatic answer and changes nothing.`
          : `You can also approve on the contract's page of the ops dashboard or with \`cpo contract approve ${n.contract.contractId} --by-email ${n.approverEmail}\`.`,
      },
      {
        paragraph: `Sending it back voids this contract, and ${n.initiatedBy} is told your reason. Without an answer by the date above the contract expires. This link${links.replyAddress ? ' and this reply address work' : ' works'} only for you and only for this request.`,
      },
    ],
  };
}

function contractFacts(c: TContractSummary): [string, string][] {
  return [
    [c.documentTitle ?? 'Contract', c.contractId],
    ...(c.schoolYear ? [['School year', c.schoolYear] as [string, string]] : []),
    ['Program', c.programName],
    ['Partner', c.organizationName],
    ['Schools', c.schools.join('; ')],
    ['Route', c.routeLabel],
    ['Amount', formatAmount(c.amountCents)],
    ['Term', `${c.startDate} to ${c.endDate}`],
  ];
}

import os from 'node:os';
import type { TContractStatus } from '../../domain/schemas/contract';
import { checklistMeeting, type TAgencyRecord, type TPartnerStatus } from '../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA } from '../../domain/vocabulary';
import {
  amendContract,
  approveContract,
  declineContract,
  declineRenewal,
  renewContract,
  resendSignatureRequest,
  signContract,
  startContract,
  startProgram,
  viewContract,
  voidContract,
} from '../contracts';
import { CpoInputError } from '../errors';
import { listWorkflows, type TWorkflowListing } from '../list-workflows';
import { pipelineBoard, type TPipelineBoard } from '../search/pipeline-board';
import {
  applyPartner,
  certifyPartner,
  recordAgencyRecord,
  rejectPartner,
  resendAgencyRecordRequest,
  resendAttestationRequest,
  signAttestation,
  startPartnerReview,
  terminatePartner,
  viewPartner,
  withdrawPartner,
} from '../partners';
import { actor, compact, dollarsToCents } from './flags';
import { renderBoard, renderContract, renderListing, renderPartner } from './render';
import { formatInstant } from '../../domain/format-instant';
import { runStaffPasswordCommand } from './staff-password-command';
import { verify } from './verify-command';
import type { TCommand, TFlags } from './command';

const text = { type: 'string' } as const;
const list = { type: 'string', multiple: true } as const;
const flag = { type: 'boolean' } as const;
const s = (flags: TFlags, name: string): string | undefined => flags[name] as string | undefined;
const many = (flags: TFlags, name: string): string[] | undefined => flags[name] as string[] | undefined;
/** `--meets all`, or the criteria met one by one; a criterion left out is answered no (and refused, naming it). */
const checklistFromFlags = (meets: string[] | undefined) =>
  meets === undefined ? undefined : checklistMeeting(meets.includes('all') ? CERTIFICATION_CRITERIA : meets.flatMap((m) => m.split(',')));
/** Where a CLI signature came from, for the signature record. */
const cliOrigin = (): string => `cpo-cli on ${os.hostname()} (${os.userInfo().username})`;

export const COMMANDS: TCommand[] = [
  {
    name: 'partner apply',
    summary: 'Register a partner organization application',
    options: {
      'partner-id': text,
      'organization-name': text,
      'representative-name': text,
      'representative-title': text,
      'representative-email': text,
      service: list,
      category: list,
    },
    run: (c, f) =>
      applyPartner(c, {
        partnerId: s(f, 'partner-id'),
        organizationName: s(f, 'organization-name'),
        representative: compact({ name: s(f, 'representative-name'), title: s(f, 'representative-title'), email: s(f, 'representative-email') }),
        services: many(f, 'service') ?? [],
        categories: many(f, 'category'),
      }),
    human: (r, timeZone) => `Application registered.\n${renderPartner(r as TPartnerStatus, timeZone)}`,
  },
  {
    name: 'partner review',
    summary: 'Start reviewing an application (applied → in_review)',
    options: { 'partner-id': text, reviewer: text, 'reviewer-email': text },
    run: (c, f) => startPartnerReview(c, s(f, 'partner-id'), { reviewer: actor(s(f, 'reviewer'), s(f, 'reviewer-email')) }),
    human: (r) => `Partner is now ${r}.`,
  },
  {
    name: 'partner certify',
    summary: 'Certify a partner under review',
    options: { 'partner-id': text, reviewer: text, 'reviewer-email': text, note: text, meets: list },
    run: (c, f) =>
      certifyPartner(
        c,
        s(f, 'partner-id'),
        compact({ reviewer: actor(s(f, 'reviewer'), s(f, 'reviewer-email')), checklist: checklistFromFlags(many(f, 'meets')), note: s(f, 'note') }),
      ),
    human: (r) => `Partner is now ${r}.`,
  },
  {
    name: 'partner reject',
    summary: 'Reject an application, with the reason',
    options: { 'partner-id': text, reviewer: text, 'reviewer-email': text, reason: text },
    run: (c, f) =>
      rejectPartner(c, s(f, 'partner-id'), { reviewer: actor(s(f, 'reviewer'), s(f, 'reviewer-email')), reason: s(f, 'reason') }),
    human: (r) => `Partner is now ${r}.`,
  },
  {
    name: 'partner withdraw',
    summary: 'Record that a partner withdraws',
    options: { 'partner-id': text, 'by-name': text, 'by-email': text, reason: text },
    run: (c, f) => withdrawPartner(c, s(f, 'partner-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), reason: s(f, 'reason') }),
    human: (r) => `Partner is now ${r}.`,
  },
  {
    name: 'partner terminate',
    summary: 'Terminate the partnership for cause: open contracts end, programs are blocked',
    options: { 'partner-id': text, 'by-name': text, 'by-email': text, reason: text },
    run: (c, f) => terminatePartner(c, s(f, 'partner-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), reason: s(f, 'reason') }),
    human: (r) => `Partner is now ${r}.`,
  },
  {
    name: 'partner record',
    summary: 'Record an agency record: background_check_affirmation, data_sharing_agreement, photo_video_consent_practice',
    options: { 'partner-id': text, kind: text, 'by-name': text, 'by-email': text, statement: text, 'school-year': text, 'document-sha256': text },
    run: (c, f) =>
      recordAgencyRecord(
        c,
        s(f, 'partner-id'),
        compact({
          kind: s(f, 'kind'),
          by: actor(s(f, 'by-name'), s(f, 'by-email')),
          statement: s(f, 'statement'),
          schoolYear: s(f, 'school-year'),
          documentSha256: s(f, 'document-sha256'),
          method: 'cli',
        }),
      ),
    human: (r) => `Recorded ${(r as TAgencyRecord).kind}${(r as TAgencyRecord).schoolYear ? ` for ${(r as TAgencyRecord).schoolYear}` : ''}.`,
  },
  {
    name: 'partner attest',
    summary: "Record the agency representative's signature on the safety attestation (once per agency)",
    options: { 'partner-id': text, name: text, title: text, email: text, consent: flag },
    run: (c, f) =>
      signAttestation(
        c,
        s(f, 'partner-id'),
        compact({ name: s(f, 'name'), title: s(f, 'title'), email: s(f, 'email'), consent: f.consent === true ? true : undefined, userAgent: cliOrigin() }),
      ),
    human: (r, timeZone) => `Attestation on file, signed at ${formatInstant((r as { signedAt: string }).signedAt, timeZone, { seconds: true })}.`,
  },
  {
    name: 'partner resend-attestation',
    summary: "Send the representative the unsigned attestation again; links and replies of older requests stop working",
    options: { 'partner-id': text, 'by-name': text, 'by-email': text },
    run: (c, f) => resendAttestationRequest(c, s(f, 'partner-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')) }),
    human: (r) => `New attestation request #${r} is being sent; older links no longer work.`,
  },
  {
    name: 'partner resend-record',
    summary: 'Send the representative an agency record request of one kind again; links and replies of older requests stop working',
    options: { 'partner-id': text, kind: text, 'by-name': text, 'by-email': text },
    run: (c, f) => resendAgencyRecordRequest(c, s(f, 'partner-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), kind: s(f, 'kind') }),
    human: (r) => `New request #${r} is being sent; older links no longer work.`,
  },
  {
    name: 'contract start',
    summary: 'Initiate a program contract on a route of the district policy',
    options: {
      'contract-id': text,
      'partner-id': text,
      'program-name': text,
      'program-description': text,
      service: list,
      school: list,
      route: text,
      category: text,
      amount: text,
      'start-date': text,
      'end-date': text,
      'go-live-date': text,
      'initiated-by-name': text,
      'initiated-by-email': text,
      'paying-department-name': text,
      'paying-department-approver-name': text,
      'paying-department-approver-email': text,
      'partner-signer-name': text,
      'partner-signer-email': text,
      'partner-signer-title': text,
      'exchanges-student-data': flag,
    },
    run: (c, f) => {
      const department = compact({
        name: s(f, 'paying-department-name'),
        approverName: s(f, 'paying-department-approver-name'),
        approverEmail: s(f, 'paying-department-approver-email'),
      });
      return startContract(
        c,
        compact({
          contractId: s(f, 'contract-id'),
          partnerId: s(f, 'partner-id'),
          programName: s(f, 'program-name'),
          programDescription: s(f, 'program-description'),
          services: many(f, 'service') ?? [],
          schools: many(f, 'school') ?? [],
          route: s(f, 'route'),
          category: s(f, 'category'),
          amountCents: dollarsToCents(s(f, 'amount')),
          startDate: s(f, 'start-date'),
          endDate: s(f, 'end-date'),
          goLiveDate: s(f, 'go-live-date'),
          initiatedBy: actor(s(f, 'initiated-by-name'), s(f, 'initiated-by-email')),
          payingDepartment: Object.keys(department).length ? department : undefined,
          partnerSigner: compact({ name: s(f, 'partner-signer-name'), email: s(f, 'partner-signer-email'), title: s(f, 'partner-signer-title') }),
          exchangesStudentData: f['exchanges-student-data'] === true ? true : undefined,
        }),
      );
    },
    human: (r, timeZone) => `Contract initiated.\n${renderContract(r as TContractStatus, timeZone)}`,
  },
  {
    name: 'contract sign',
    summary: 'Record a signature (partner, then district countersignature) on the contract document on record',
    options: { 'contract-id': text, role: text, name: text, title: text, email: text, consent: flag },
    run: (c, f) =>
      signContract(
        c,
        s(f, 'contract-id'),
        compact({
          role: s(f, 'role'),
          name: s(f, 'name'),
          title: s(f, 'title'),
          email: s(f, 'email'),
          consent: f.consent === true ? true : undefined,
          method: 'cli',
          userAgent: cliOrigin(),
        }),
      ),
    human: (r, timeZone) => {
      const signature = r as { role: string; name: string; signedAt: string; documentSha256: string };
      return `Signed for the ${signature.role} by ${signature.name} at ${formatInstant(signature.signedAt, timeZone, { seconds: true })} (document sha256 ${signature.documentSha256}).`;
    },
  },
  {
    name: 'contract decline',
    summary: 'Record that the partner declines to sign, with the reason',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, reason: text },
    run: (c, f) => declineContract(c, s(f, 'contract-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), reason: s(f, 'reason') }),
    human: (r) => `Contract is now ${r}.`,
  },
  {
    name: 'contract void',
    summary: 'Void a contract before it is executed (CPO office)',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, reason: text },
    run: (c, f) => voidContract(c, s(f, 'contract-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), reason: s(f, 'reason') }),
    human: (r) => `Contract is now ${r}.`,
  },
  {
    name: 'contract resend',
    summary: 'Send the awaited signer a new request; links and replies of older requests stop working',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text },
    run: (c, f) => resendSignatureRequest(c, s(f, 'contract-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')) }),
    human: (r) => `New signature request #${r} is being sent; older links no longer work.`,
  },
  {
    name: 'contract approve',
    summary: "Approve a contract as the route's approver (when the route needs an approval besides the initiator's)",
    options: { 'contract-id': text, 'by-name': text, 'by-email': text },
    run: (c, f) => approveContract(c, s(f, 'contract-id'), { by: compact({ name: s(f, 'by-name'), email: s(f, 'by-email') }) }),
    human: (r) => `Approved; the contract is ${r}.`,
  },
  {
    name: 'contract amend',
    summary: 'Add schools to a live contract by amendment (both parties sign it again)',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, school: list, note: text },
    run: (c, f) =>
      amendContract(c, s(f, 'contract-id'), compact({ by: actor(s(f, 'by-name'), s(f, 'by-email')), addSchools: many(f, 'school') ?? [], note: s(f, 'note') })),
    human: (r) => `Amendment ${r} is being sent for signature; the added schools may start once both parties sign it.`,
  },
  {
    name: 'contract renew',
    summary: "Renew the program for the next school year on the same route (starts next year's contract)",
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, 'new-contract-id': text, school: list, amount: text },
    run: (c, f) =>
      renewContract(
        c,
        s(f, 'contract-id'),
        compact({
          by: compact({ name: s(f, 'by-name'), email: s(f, 'by-email') }),
          changes: compact({ contractId: s(f, 'new-contract-id'), schools: many(f, 'school'), amountCents: dollarsToCents(s(f, 'amount')) }),
        }),
      ),
    human: (r) => `Renewed: next school year's contract ${r} is starting.`,
  },
  {
    name: 'contract decline-renewal',
    summary: 'Record that the program does not continue next school year, with the reason',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, reason: text },
    run: (c, f) => declineRenewal(c, s(f, 'contract-id'), { by: actor(s(f, 'by-name'), s(f, 'by-email')), reason: s(f, 'reason') }),
    human: () => 'Not renewed: the program may not start next school year without a new contract.',
  },
  {
    name: 'program start',
    summary: 'Ask to start the program; refused with the reason until the contract is live',
    options: { 'contract-id': text, 'by-name': text, 'by-email': text, school: text },
    run: (c, f) => startProgram(c, s(f, 'contract-id'), compact({ by: actor(s(f, 'by-name'), s(f, 'by-email')), school: s(f, 'school') })),
    human: (r, timeZone) => {
      const start = r as { school: string; at: string };
      return `Program start recorded for ${start.school} at ${formatInstant(start.at, timeZone)}.`;
    },
  },
  {
    name: 'status',
    summary: 'Stage and history of a partner (--partner-id) or a contract (--contract-id)',
    options: { 'partner-id': text, 'contract-id': text },
    run: async (c, f) => {
      const partnerId = s(f, 'partner-id');
      const contractId = s(f, 'contract-id');
      if ((partnerId === undefined) === (contractId === undefined)) {
        throw CpoInputError.forField('partnerId', 'give exactly one of --partner-id or --contract-id');
      }
      return partnerId !== undefined ? viewPartner(c, partnerId) : viewContract(c, contractId);
    },
    human: (r, timeZone) => ('contractId' in (r as object) ? renderContract(r as TContractStatus, timeZone) : renderPartner(r as TPartnerStatus, timeZone)),
  },
  {
    name: 'list',
    summary: 'List partners and contracts, optionally by --kind, --stage, --partner-id',
    options: { kind: text, stage: text, 'partner-id': text, limit: text },
    run: (c, f) =>
      listWorkflows(
        c,
        compact({ kind: s(f, 'kind'), stage: s(f, 'stage'), partnerId: s(f, 'partner-id'), limit: f.limit === undefined ? undefined : Number(f.limit) }),
      ),
    human: (r) => renderListing(r as TWorkflowListing[]),
  },
  {
    name: 'board',
    summary: 'Counts per stage and the lists that need attention (overdue signatures, blocked programs, contracts ending)',
    options: { school: text, service: text, route: text, category: text, 'school-year': text, 'partner-id': text, text },
    run: (c, f) =>
      pipelineBoard(
        c,
        compact({
          school: s(f, 'school'),
          service: s(f, 'service'),
          route: s(f, 'route'),
          category: s(f, 'category'),
          schoolYear: s(f, 'school-year'),
          partnerId: s(f, 'partner-id'),
          text: s(f, 'text'),
        }),
      ),
    human: (r, timeZone) => renderBoard(r as TPipelineBoard, timeZone),
  },
  {
    name: 'staff-password',
    summary:
      'Hash a dashboard password for the staff users file (--password, or the password on standard input); the account\'s role is its "access" there, e.g. {"role":"department","departments":["Office of Academics"]} (README, "Roles")',
    options: { password: text },
    run: async (_c, f) => runStaffPasswordCommand({ password: s(f, 'password') ?? (await readStandardInput()) }),
    human: (r) => String(r),
  },
  verify,
];

/** The first line of standard input (a password piped in, so it stays out of the shell history). */
async function readStandardInput(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  return input.split(/\r?\n/)[0] ?? '';
}

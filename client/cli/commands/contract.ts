import { formatInstant } from '../../../domain/format-instant';
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
  voidContract,
} from '../../contracts';
import { defineCommand } from '../command';
import { actor, BY_FLAGS, byActor, byPerson, cliOrigin, compact, dollarsToCents, list, text, toggle } from '../flags';
import { renderContract } from '../render';

const nowIn = (stage: string) => `Contract is now ${stage}.`;

export const CONTRACT_COMMANDS = [
  defineCommand({
    name: 'contract start',
    summary: 'Initiate a program contract on a route of the district policy',
    flags: {
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
      'exchanges-student-data': toggle,
    },
    run: (c, f) => {
      const department = compact({
        name: f['paying-department-name'],
        approverName: f['paying-department-approver-name'],
        approverEmail: f['paying-department-approver-email'],
      });
      return startContract(
        c,
        compact({
          contractId: f['contract-id'],
          partnerId: f['partner-id'],
          programName: f['program-name'],
          programDescription: f['program-description'],
          services: f.service ?? [],
          schools: f.school ?? [],
          route: f.route,
          category: f.category,
          amountCents: dollarsToCents(f.amount),
          startDate: f['start-date'],
          endDate: f['end-date'],
          goLiveDate: f['go-live-date'],
          initiatedBy: actor(f['initiated-by-name'], f['initiated-by-email']),
          payingDepartment: Object.keys(department).length ? department : undefined,
          partnerSigner: compact({ name: f['partner-signer-name'], email: f['partner-signer-email'], title: f['partner-signer-title'] }),
          exchangesStudentData: f['exchanges-student-data'] === true ? true : undefined,
        }),
      );
    },
    human: (r, timeZone) => `Contract initiated.\n${renderContract(r, timeZone)}`,
  }),
  defineCommand({
    name: 'contract sign',
    summary: 'Record a signature (partner, then district countersignature) on the contract document on record',
    flags: { 'contract-id': text, role: text, name: text, title: text, email: text, consent: toggle },
    run: (c, f) =>
      signContract(
        c,
        f['contract-id'],
        compact({
          role: f.role,
          name: f.name,
          title: f.title,
          email: f.email,
          consent: f.consent === true ? true : undefined,
          method: 'cli',
          userAgent: cliOrigin(),
        }),
      ),
    human: (r, timeZone) =>
      `Signed for the ${r.role} by ${r.name} at ${formatInstant(r.signedAt, timeZone, { seconds: true })} (document sha256 ${r.documentSha256}).`,
  }),
  defineCommand({
    name: 'contract decline',
    summary: 'Record that the partner declines to sign, with the reason',
    flags: { 'contract-id': text, ...BY_FLAGS, reason: text },
    run: (c, f) => declineContract(c, f['contract-id'], { by: byActor(f), reason: f.reason }),
    human: nowIn,
  }),
  defineCommand({
    name: 'contract void',
    summary: 'Void a contract before it is executed (CPO office)',
    flags: { 'contract-id': text, ...BY_FLAGS, reason: text },
    run: (c, f) => voidContract(c, f['contract-id'], { by: byActor(f), reason: f.reason }),
    human: nowIn,
  }),
  defineCommand({
    name: 'contract resend',
    summary: 'Send the awaited signer a new request; links and replies of older requests stop working',
    flags: { 'contract-id': text, ...BY_FLAGS },
    run: (c, f) => resendSignatureRequest(c, f['contract-id'], { by: byActor(f) }),
    human: (r) => `New signature request #${r} is being sent; older links no longer work.`,
  }),
  defineCommand({
    name: 'contract approve',
    summary: "Approve a contract as the route's approver (when the route needs an approval besides the initiator's)",
    flags: { 'contract-id': text, ...BY_FLAGS },
    run: (c, f) => approveContract(c, f['contract-id'], { by: byPerson(f) }),
    human: (r) => `Approved; the contract is ${r}.`,
  }),
  defineCommand({
    name: 'contract amend',
    summary: 'Add schools to a live contract by amendment (both parties sign it again)',
    flags: { 'contract-id': text, ...BY_FLAGS, school: list, note: text },
    run: (c, f) => amendContract(c, f['contract-id'], compact({ by: byActor(f), addSchools: f.school ?? [], note: f.note })),
    human: (r) => `Amendment ${r} is being sent for signature; the added schools may start once both parties sign it.`,
  }),
  defineCommand({
    name: 'contract renew',
    summary: "Renew the program for the next school year on the same route (starts next year's contract)",
    flags: { 'contract-id': text, ...BY_FLAGS, 'new-contract-id': text, school: list, amount: text },
    run: (c, f) =>
      renewContract(
        c,
        f['contract-id'],
        compact({
          by: byPerson(f),
          changes: compact({ contractId: f['new-contract-id'], schools: f.school, amountCents: dollarsToCents(f.amount) }),
        }),
      ),
    human: (r) => `Renewed: next school year's contract ${r} is starting.`,
  }),
  defineCommand({
    name: 'contract decline-renewal',
    summary: 'Record that the program does not continue next school year, with the reason',
    flags: { 'contract-id': text, ...BY_FLAGS, reason: text },
    run: (c, f) => declineRenewal(c, f['contract-id'], { by: byActor(f), reason: f.reason }),
    human: () => 'Not renewed: the program may not start next school year without a new contract.',
  }),
  defineCommand({
    name: 'program start',
    summary: 'Ask to start the program; refused with the reason until the contract is live',
    flags: { 'contract-id': text, ...BY_FLAGS, school: text },
    run: (c, f) => startProgram(c, f['contract-id'], compact({ by: byActor(f), school: f.school })),
    human: (r, timeZone) => `Program start recorded for ${r.school} at ${formatInstant(r.at, timeZone)}.`,
  }),
];

import { checklistMeeting } from '../../../domain/schemas/partner';
import { CERTIFICATION_CRITERIA } from '../../../domain/vocabulary';
import { formatInstant } from '../../../domain/format-instant';
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
  withdrawPartner,
} from '../../partners';
import { defineCommand } from '../command';
import { actor, BY_FLAGS, byActor, cliOrigin, compact, list, text, toggle } from '../flags';
import { renderPartner } from '../render';

/** `--meets all`, or the criteria met one by one; a criterion left out is answered no (and refused, naming it). */
const checklistFromFlags = (meets: string[] | undefined) =>
  meets === undefined ? undefined : checklistMeeting(meets.includes('all') ? CERTIFICATION_CRITERIA : meets.flatMap((m) => m.split(',')));

const REVIEWER_FLAGS = { 'partner-id': text, reviewer: text, 'reviewer-email': text };
const nowIn = (stage: string) => `Partner is now ${stage}.`;

export const PARTNER_COMMANDS = [
  defineCommand({
    name: 'partner apply',
    summary: 'Register a partner organization application',
    flags: {
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
        partnerId: f['partner-id'],
        organizationName: f['organization-name'],
        representative: compact({ name: f['representative-name'], title: f['representative-title'], email: f['representative-email'] }),
        services: f.service ?? [],
        categories: f.category,
      }),
    human: (r, timeZone) => `Application registered.\n${renderPartner(r, timeZone)}`,
  }),
  defineCommand({
    name: 'partner review',
    summary: 'Start reviewing an application (applied → in_review)',
    flags: REVIEWER_FLAGS,
    run: (c, f) => startPartnerReview(c, f['partner-id'], { reviewer: actor(f.reviewer, f['reviewer-email']) }),
    human: nowIn,
  }),
  defineCommand({
    name: 'partner certify',
    summary: 'Certify a partner under review',
    flags: { ...REVIEWER_FLAGS, note: text, meets: list },
    run: (c, f) =>
      certifyPartner(
        c,
        f['partner-id'],
        compact({ reviewer: actor(f.reviewer, f['reviewer-email']), checklist: checklistFromFlags(f.meets), note: f.note }),
      ),
    human: nowIn,
  }),
  defineCommand({
    name: 'partner reject',
    summary: 'Reject an application, with the reason',
    flags: { ...REVIEWER_FLAGS, reason: text },
    run: (c, f) => rejectPartner(c, f['partner-id'], { reviewer: actor(f.reviewer, f['reviewer-email']), reason: f.reason }),
    human: nowIn,
  }),
  defineCommand({
    name: 'partner withdraw',
    summary: 'Record that a partner withdraws',
    flags: { 'partner-id': text, ...BY_FLAGS, reason: text },
    run: (c, f) => withdrawPartner(c, f['partner-id'], { by: byActor(f), reason: f.reason }),
    human: nowIn,
  }),
  defineCommand({
    name: 'partner terminate',
    summary: 'Terminate the partnership for cause: open contracts end, programs are blocked',
    flags: { 'partner-id': text, ...BY_FLAGS, reason: text },
    run: (c, f) => terminatePartner(c, f['partner-id'], { by: byActor(f), reason: f.reason }),
    human: nowIn,
  }),
  defineCommand({
    name: 'partner record',
    summary: 'Record an agency record: background_check_affirmation, data_sharing_agreement, photo_video_consent_practice',
    flags: { 'partner-id': text, kind: text, ...BY_FLAGS, statement: text, 'school-year': text, 'document-sha256': text },
    run: (c, f) =>
      recordAgencyRecord(
        c,
        f['partner-id'],
        compact({
          kind: f.kind,
          by: byActor(f),
          statement: f.statement,
          schoolYear: f['school-year'],
          documentSha256: f['document-sha256'],
          method: 'cli',
        }),
      ),
    human: (r) => `Recorded ${r.kind}${r.schoolYear ? ` for ${r.schoolYear}` : ''}.`,
  }),
  defineCommand({
    name: 'partner attest',
    summary: "Record the agency representative's signature on the safety attestation (once per agency)",
    flags: { 'partner-id': text, name: text, title: text, email: text, consent: toggle },
    run: (c, f) =>
      signAttestation(
        c,
        f['partner-id'],
        compact({ name: f.name, title: f.title, email: f.email, consent: f.consent === true ? true : undefined, userAgent: cliOrigin() }),
      ),
    human: (r, timeZone) => `Attestation on file, signed at ${formatInstant(r.signedAt, timeZone, { seconds: true })}.`,
  }),
  defineCommand({
    name: 'partner resend-attestation',
    summary: 'Send the representative the unsigned attestation again; links and replies of older requests stop working',
    flags: { 'partner-id': text, ...BY_FLAGS },
    run: (c, f) => resendAttestationRequest(c, f['partner-id'], { by: byActor(f) }),
    human: (r) => `New attestation request #${r} is being sent; older links no longer work.`,
  }),
  defineCommand({
    name: 'partner resend-record',
    summary: 'Send the representative an agency record request of one kind again; links and replies of older requests stop working',
    flags: { 'partner-id': text, kind: text, ...BY_FLAGS },
    run: (c, f) => resendAgencyRecordRequest(c, f['partner-id'], { by: byActor(f), kind: f.kind }),
    human: (r) => `New request #${r} is being sent; older links no longer work.`,
  }),
];

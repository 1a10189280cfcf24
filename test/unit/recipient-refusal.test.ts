import { recipientRefusal } from '../../inbound/reply-kinds';
import { createAgencyRecordToken } from '../../security/agency-record-token';
import { createApprovalToken } from '../../security/approval-token';
import { createAttestationToken } from '../../security/attestation-token';
import { createSigningToken } from '../../security/signing-token';

const SECRET = 'secret-of-the-reply-listener-under-test';
const OTHER_SECRET = 'a-secret-the-district-never-used';
const DOMAIN = 'replies.example';
const NOW = Date.parse('2026-12-02T12:00:00Z');
const EXPIRES_AT = Math.floor(NOW / 1000) + 86_400;
const AFTER_EXPIRY = (EXPIRES_AT + 1) * 1000;

const kinds = [
  {
    prefix: 'sign',
    request: 'signature request',
    make: (secret: string) =>
      createSigningToken(
        { contractId: 'c-1', role: 'partner', email: 'lan@partner.example', requestNumber: 1, expiresAt: EXPIRES_AT },
        secret,
      ),
  },
  {
    prefix: 'approve',
    request: 'approval request',
    make: (secret: string) =>
      createApprovalToken({ contractId: 'c-1', email: 'ana@district.example', requestNumber: 1, expiresAt: EXPIRES_AT }, secret),
  },
  {
    prefix: 'attest',
    request: 'attestation request',
    make: (secret: string) =>
      createAttestationToken(
        {
          partnerId: 'p-1',
          schoolYear: '2026-2027',
          email: 'lan@partner.example',
          requestNumber: 1,
          formHash: '0123456789abcdef0123456789abcdef',
          expiresAt: EXPIRES_AT,
        },
        secret,
      ),
  },
  {
    prefix: 'record',
    request: 'request',
    make: (secret: string) =>
      createAgencyRecordToken(
        {
          partnerId: 'p-1',
          kind: 'data_sharing_agreement',
          schoolYear: null,
          email: 'lan@partner.example',
          requestNumber: 1,
          expiresAt: EXPIRES_AT,
        },
        secret,
      ),
  },
] as const;

describe.each(kinds)('RCPT TO $prefix+<token>', ({ prefix, request, make }) => {
  const refusal = (token: string, nowMs = NOW) => recipientRefusal(`${prefix}+${token}@${DOMAIN}`, DOMAIN, SECRET, nowMs);

  test('a token the district issued is accepted until its request expires', () => {
    expect(refusal(make(SECRET))).toBeNull();
    expect(refusal(make(SECRET), AFTER_EXPIRY)).toMatch(new RegExp(`^This ${request} has expired: ask the Community Partnerships Office`));
  });

  test('a damaged or forged token is refused, naming the request to reply to instead', () => {
    expect(refusal('abc')).toMatch(
      new RegExp(`^No such reply address: it is incomplete or damaged\\. Reply to the most recent ${request},`),
    );
    expect(refusal(make(OTHER_SECRET))).toMatch(
      new RegExp(`^No such reply address: it was not issued by the district\\. Reply to the most recent ${request},`),
    );
  });
});

test('any other mailbox, or another domain, is refused', () => {
  expect(recipientRefusal(`cpo@${DOMAIN}`, DOMAIN, SECRET, NOW)).toMatch(/^No such mailbox/);
  expect(recipientRefusal(`sign+abc@elsewhere.example`, DOMAIN, SECRET, NOW)).toMatch(/^No such mailbox/);
});

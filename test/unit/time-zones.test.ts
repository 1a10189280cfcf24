import { renderNotification } from '../../activities/email/render-notification';
import { renderContract } from '../../client/cli/render';
import { loadPolicy } from '../../config/load-policy';
import { formatDateOrInstant, formatInstant } from '../../domain/format-instant';
import { ZNotificationSchema } from '../../domain/schemas/notification';
import { signingPage } from '../../server/pages/signing-page';
import { formatWhen } from '../../server/dashboard/pages/components';
import type { TContractStatus } from '../../domain/schemas/contract';

const minneapolis = loadPolicy('policies/minneapolis.json');
const seattle = loadPolicy('policies/seattle.json');
// The deadline: a Minneapolis partner read "Sign by: 2027-01-01 05:26:21 UTC".
const deadline = '2027-01-01T05:26:21.000Z';

test.each([
  [minneapolis.timeZone, deadline, '2026-12-31 23:26 CST', '2026-12-31 23:26:21 CST'],
  [seattle.timeZone, deadline, '2026-12-31 21:26 PST', '2026-12-31 21:26:21 PST'],
  [minneapolis.timeZone, '2027-06-15T17:00:00Z', '2027-06-15 12:00 CDT', '2027-06-15 12:00:00 CDT'],
  [seattle.timeZone, '2027-06-15T17:00:00Z', '2027-06-15 10:00 PDT', '2027-06-15 10:00:00 PDT'],
])('in %s, %s reads %s', (timeZone, instant, minutes, seconds) => {
  expect(formatInstant(instant, timeZone)).toBe(minutes);
  expect(formatInstant(instant, timeZone, { seconds: true })).toBe(seconds);
  expect(formatDateOrInstant(instant, timeZone)).toBe(minutes);
});

test('a date as entered stays a date, and the dashboard wraps the same text in <time>', () => {
  expect(formatDateOrInstant('2027-06-15', minneapolis.timeZone)).toBe('2027-06-15');
  expect(formatWhen(deadline, minneapolis.timeZone)).toBe(`<time datetime="${deadline}">2026-12-31 23:26 CST</time>`);
});

const contract = {
  contractId: 'reading-circles',
  programName: 'After-school reading circles',
  organizationName: 'Hội Người Việt Tutoring',
  schools: ['Anwatin Middle'],
  routeLabel: '$0 contract',
  amountCents: 0,
  startDate: '2026-09-01',
  endDate: '2027-06-10',
  district: 'Minneapolis Public Schools',
};

test.each([
  [minneapolis.timeZone, 'Sign by: 2026-12-31 23:26 CST'],
  [seattle.timeZone, 'Sign by: 2026-12-31 21:26 PST'],
])('the signature request email in %s says "%s", not UTC', (timeZone, line) => {
  const notification = ZNotificationSchema.parse({
    kind: 'signature_request',
    idempotencyKey: 'k',
    to: ['lan@hoi.example'],
    contract,
    signerName: 'Lan Nguyễn',
    signerRole: 'partner',
    requestNumber: 1,
    deadline,
    documentSha256: 'a'.repeat(64),
  });
  const email = renderNotification(notification, timeZone);
  expect(email.text).toContain(line);
  expect(email.html).toContain(line.replace('Sign by: ', ''));
  expect(email.text).not.toContain('UTC');
});

test('the signing page and `cpo status` show the deadline and go-live in the district time zone', () => {
  const status = {
    contractId: 'reading-circles',
    request: {
      ...contract,
      partnerId: 'hoi',
      services: ['literacy_tutoring'],
      route: 'zero_dollar',
      category: 'contracted_partner',
      partnerSigner: { name: 'Lan', email: 'lan@hoi.example' },
      initiatedBy: { name: 'CPO' },
    },
    policyId: 'minneapolis',
    policyVersion: '2026.2',
    routeLabel: '$0 contract',
    districtSigner: { name: 'CPO', email: 'cpo@mpls.k12.mn.us', office: 'CPO' },
    schoolYear: '2026-2027',
    stage: 'awaiting_partner_signature',
    signing: null,
    documents: { contract: null, executed: null },
    signatures: [
      {
        role: 'partner',
        name: 'Lan',
        email: 'lan@hoi.example',
        signedAt: '2026-12-02T15:00:00.000Z',
        method: 'link',
        requestNumber: 1,
        documentSha256: 'a'.repeat(64),
      },
    ],
    requestNumber: 1,
    nextDeadline: deadline,
    goLiveAt: '2026-09-01T05:00:00.000Z',
    closedReason: null,
    programStartBlockedReason: null,
    attention: null,
    history: [{ at: '2026-12-02T15:00:00.000Z', event: 'initiated', stage: 'initiated' }],
  } as unknown as TContractStatus;
  expect(signingPage(status, 'partner', 'token', seattle.timeZone)).toContain('<dt>Sign by</dt><dd>2026-12-31 21:26 PST</dd>');
  const text = renderContract(status, minneapolis.timeZone);
  expect(text).toContain('go-live 2026-09-01 00:00 CDT');
  expect(text).toContain('next deadline:  2026-12-31 23:26 CST');
  expect(text).toContain('at 2026-12-02 09:00:00 CST by link');
  expect(text).toContain('  2026-12-02 09:00 CST  initiated');
  expect(text).not.toMatch(/\dZ|UTC/);
});

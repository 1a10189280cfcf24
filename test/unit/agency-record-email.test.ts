import { renderNotification } from '../../activities/email/render-notification';
import { ZNotificationSchema } from '../../domain/schemas/notification';

const request = (extra: Record<string, unknown> = {}) =>
  ZNotificationSchema.parse({
    kind: 'agency_record_request',
    idempotencyKey: 'k',
    to: ['lan@hoi.example'],
    organizationName: 'Hội Người Việt Tutoring',
    representativeName: 'Lan Nguyễn',
    partnerId: 'hoi',
    district: 'Minneapolis Public Schools',
    recordKind: 'data_sharing_agreement',
    schoolYear: null,
    statement: 'The agency keeps student data under the district data-sharing agreement.',
    requestNumber: 1,
    deadline: '2027-01-01T05:26:00.000Z',
    ...extra,
  });
const links = { signingUrl: 'https://cpo.example/affirm/t', replyAddress: 'record+t@replies.example' };

test('an agency record request tells how to affirm by link and by reply, with the deadline in the district time zone', () => {
  const email = renderNotification(request(), 'America/Chicago', links);
  expect(email.subject).toBe('Data-sharing (FERPA) agreement for Hội Người Việt Tutoring');
  expect(email.text).toContain('Affirm by: 2026-12-31 23:26 CST');
  expect(email.text).toContain('https://cpo.example/affirm/t');
  expect(email.text).toContain('Or reply instead: reply to this email from lan@hoi.example with the words "I affirm"');
  // Without a reply address (none configured), the email does not promise one.
  expect(renderNotification(request(), 'America/Chicago', { signingUrl: links.signingUrl }).text).not.toContain('reply');
});

test('a reminder and a resent request say so in the subject and the text', () => {
  const reminder = renderNotification(request({ requestNumber: 2, reminderNumber: 1 }), 'America/Chicago', links);
  expect(reminder.subject).toBe('Reminder: Data-sharing (FERPA) agreement for Hội Người Việt Tutoring (request #2)');
  expect(reminder.text).toContain('This is reminder 1: the record below is still waiting for your affirmation.');
});

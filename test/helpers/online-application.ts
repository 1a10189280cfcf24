import { CERTIFICATION_CRITERIA } from '../../domain/vocabulary';
import type { TCaughtMail } from '../../scripts/smtp-catcher';

/** The /apply form as a browser sends it, with every required field filled. */
export const applicationForm = (
  organizationName: string,
  email: string,
  overrides: Record<string, string | string[]> = {},
): Record<string, string | string[]> => ({
  organizationName,
  'representative.name': 'Amina Yusuf',
  'representative.title': 'Executive Director',
  'representative.email': email,
  'representative.phone': '(612) 555-0142',
  services: ['arts', 'enrichment'],
  categories: ['contracted_partner'],
  interests: 'Northside elementary schools; after school',
  programDescription: 'Weekly dance and music workshops for grades 3-5, taught by teaching artists.',
  criteriaAffirmed: [...CERTIFICATION_CRITERIA],
  website: '',
  ...overrides,
});

/** The first link to `path` in an email's text part (`/apply/confirm/`, `/partner/`). */
export function linkIn(mail: TCaughtMail, path: string): string {
  const match = new RegExp(`(http://127\\.0\\.0\\.1:\\d+${path}[A-Za-z0-9_.-]+)`).exec(mail.parsed.text ?? '');
  if (!match) throw new Error(`No ${path} link in "${mail.parsed.subject}"`);
  return match[1]!;
}

export const mailTo =
  (address: string, subject: string) =>
  (mail: TCaughtMail): boolean =>
    mail.envelopeTo.includes(address) && (mail.parsed.subject ?? '').includes(subject);

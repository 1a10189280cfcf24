import { ownEntry } from './own-entry';
import type { TPolicy } from './policy';
import type { TNotificationKind } from './vocabulary';

/** The district's wording for an email kind, with {program}, {organization}, {district} and {schoolYear} filled in. */
export function emailTextFor(
  policy: TPolicy,
  kind: TNotificationKind,
  values: { program?: string; organization?: string; schoolYear?: string },
): { subject?: string; intro?: string } | undefined {
  const text = ownEntry(policy.emails, kind);
  if (!text) return undefined;
  const fill = (template: string): string =>
    template.replace(/\{(program|organization|district|schoolYear)\}/g, (_, key: string) =>
      key === 'district' ? policy.district : (values[key as keyof typeof values] ?? ''),
    );
  return {
    ...(text.subject ? { subject: fill(text.subject) } : {}),
    ...(text.intro ? { intro: fill(text.intro) } : {}),
  };
}

/** The fact of an approval request email that starts any quote of it ("Approval request: #1"): a reply is read above it. */
export const APPROVAL_REQUEST_LABEL = 'Approval request';
export const approvalRequestMarker = (requestNumber: number): string => `${APPROVAL_REQUEST_LABEL}: #${requestNumber}`;

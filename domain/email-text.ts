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

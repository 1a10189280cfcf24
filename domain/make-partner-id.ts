/** Slugs leave room for a "-NN" suffix within the 64 characters of an id. */
const MAX_SLUG_LENGTH = 56;

/** FNV-1a: a short stable tag for names with no Latin letters or digits to slug (pure, so it runs in any layer). */
const fnv1a = (text: string): string => {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * The partner id for an organization name: its lowercase ASCII slug ("Lantern Arts & Co." → "lantern-arts-co"),
 * then "-2", "-3"… for the `attempt`-th organization with the same slug.
 */
export function makePartnerId(organizationName: string, attempt = 1): string {
  const slug = organizationName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  const base = slug.length >= 3 ? slug : `org-${slug ? `${slug}-` : ''}${fnv1a(organizationName.trim().toLowerCase())}`;
  return attempt <= 1 ? base : `${base}-${attempt}`;
}

const normalize = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Two spellings of one organization's name: case, spacing, punctuation and accents aside. */
export const isSameOrganizationName = (a: string, b: string): boolean => normalize(a) === normalize(b);

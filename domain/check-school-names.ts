import { findUnprintableCharacter } from './find-unprintable-character';
import type { TPolicy } from './policy';

/** Lower case without accents or punctuation, for finding what someone probably meant. */
const simplify = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** Up to three schools of the list a mistyped or shortened name probably means, closest first. */
export function closeSchoolNames(schools: readonly string[], name: string): string[] {
  const wanted = simplify(name);
  if (!wanted) return [];
  const known = schools.map((school) => ({ school, simple: simplify(school) }));
  // A word shared with the name counts only when few schools have it ("middle" or "high" say nothing).
  const wordCounts = new Map<string, number>();
  for (const { simple } of known) for (const word of new Set(simple.split(' '))) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  const sharesDistinctWord = (simple: string) =>
    wanted.split(' ').some((word) => word.length > 2 && (wordCounts.get(word) ?? 0) <= 2 && simple.split(' ').includes(word));
  return known
    .map(({ school, simple }) => ({
      school,
      distance: simple.includes(wanted) || wanted.includes(simple) ? 0 : editDistance(simple, wanted),
      shares: sharesDistinctWord(simple),
    }))
    .filter(({ distance, shares }) => shares || distance <= Math.max(2, Math.floor(wanted.length / 4)))
    .sort((a, b) => a.distance - b.distance || a.school.localeCompare(b.school))
    .slice(0, 3)
    .map(({ school }) => school);
}

/** Why some of these schools are not the district's (naming them, with the names probably meant), or null. */
export function checkSchoolNames(policy: TPolicy, schools: readonly string[]): string | null {
  if (!policy.schools) return null;
  const known = new Set(policy.schools);
  // A name with a character that cannot be printed is refused for that character (parseWrittenInput), more exactly.
  const unknown = schools.filter((school) => !known.has(school) && findUnprintableCharacter(school) === undefined);
  if (unknown.length === 0) return null;
  const described = unknown.slice(0, 5).map((school) => {
    const close = closeSchoolNames(policy.schools!, school);
    return `"${school}"${close.length ? ` (did you mean ${close.join(', ')}?)` : ''}`;
  });
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  return `${described.join(', ')}${more} ${unknown.length === 1 ? 'is not a school' : 'are not schools'} of ${policy.district}; use the names of the policy's school list`;
}

/**
 * The school year a date falls in, written "2026-2027". A year starts on `startsOn` (MM-DD, the policy's
 * first day of the school year); contracts end with the school year (seed 001).
 */
export function schoolYearOf(date: string, startsOn = '07-01'): string {
  const year = Number(date.slice(0, 4));
  const first = date.slice(5, 10) >= startsOn ? year : year - 1;
  return `${first}-${first + 1}`;
}

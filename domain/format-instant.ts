import { wallClockParts } from './dates';

/**
 * An instant as people read it everywhere (emails, signing pages, PDFs, dashboard, CLI): in the district's time
 * zone with its abbreviation, "2027-01-01 05:26 CST" (with seconds "05:26:21 CST", for signatures and audit lines).
 */
export function formatInstant(instant: string | number | Date, timeZone: string, options: { seconds?: boolean } = {}): string {
  const ms = new Date(instant).getTime();
  if (Number.isNaN(ms)) return String(instant);
  const wall = wallClockParts(ms, timeZone, true);
  const time = [wall.hour, wall.minute, ...(options.seconds ? [wall.second] : [])].join(':');
  return `${wall.year}-${wall.month}-${wall.day} ${time} ${wall.timeZoneName}`;
}

/** A date as entered ("2026-09-01") stays as it is; an instant is shown in the district's time zone. */
export const formatDateOrInstant = (value: string, timeZone: string): string =>
  value.includes('T') ? formatInstant(value, timeZone) : value;

import { z } from 'zod';

export const ZDateSchema = z.iso.date({ error: 'must be a date written YYYY-MM-DD' });
/** A calendar date, or an exact instant (tests use instants to reach go-live within seconds). */
export const ZDateOrInstantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date YYYY-MM-DD or an ISO 8601 date-time',
});

// Making a formatter costs far more than using one; a district has one or two time zones.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string, withZoneName: boolean): Intl.DateTimeFormat {
  const key = `${timeZone} ${withZoneName}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      ...(withZoneName ? { timeZoneName: 'short' as const } : {}),
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in a time zone (24-hour), optionally with the zone's abbreviation ("CST"). */
export function wallClockParts(
  utcMs: number,
  timeZone: string,
  withZoneName = false,
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'timeZoneName', string> {
  const parts = formatterFor(timeZone, withZoneName).formatToParts(new Date(utcMs));
  const field = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
    timeZoneName: field('timeZoneName'),
  };
}

/** Offset of `timeZone` from UTC at `utcMs`, in ms (positive east of Greenwich). */
function timeZoneOffsetMs(utcMs: number, timeZone: string): number {
  const wall = wallClockParts(utcMs, timeZone);
  const asIfUtc = Date.UTC(
    Number(wall.year),
    Number(wall.month) - 1,
    Number(wall.day),
    Number(wall.hour),
    Number(wall.minute),
    Number(wall.second),
  );
  return asIfUtc - utcMs;
}

/**
 * The instant a date starts in the district's time zone, or the instant itself when one is given.
 * A go-live date of 2026-09-02 in Minneapolis opens at local midnight, not at UTC midnight.
 */
export function startOfDateMs(dateOrInstant: string, timeZone: string): number {
  if (dateOrInstant.includes('T')) return Date.parse(dateOrInstant);
  const utcMidnight = Date.parse(`${dateOrInstant}T00:00:00Z`);
  return utcMidnight - timeZoneOffsetMs(utcMidnight, timeZone);
}

/** The instant a date ends (the next day's start) in the district's time zone. */
export function endOfDateMs(date: string, timeZone: string): number {
  if (date.includes('T')) return Date.parse(date);
  const nextDay = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return startOfDateMs(nextDay, timeZone);
}

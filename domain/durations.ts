import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A policy period such as "3d", "12h", "30m", "10s" or "500ms". */
export const ZDurationSchema = z
  .string()
  .regex(/^[1-9]\d*(ms|s|m|h|d)$/, 'must be a duration such as "3d", "12h", "30m", "10s" or "500ms"');
export type TDuration = z.infer<typeof ZDurationSchema>;

export function durationToMs(duration: TDuration): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  if (!match) throw new TypeError(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

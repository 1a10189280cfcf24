const HOUR_MS = 60 * 60_000;

export interface TAnswerLimiter {
  /** True, and counted, when one more automatic answer may go to this address now. */
  allow(address: string, nowMs?: number): boolean;
}

/**
 * At most `perHour` automatic answers to one address per hour (counted from its first answer in the hour), so
 * replies cannot turn the listener into a mail cannon aimed at a signer. Small and bounded: only addresses answered
 * in the last hour are kept, at most `maxAddresses` of them (the oldest goes first).
 */
export function createAnswerLimiter({ perHour, maxAddresses = 10_000 }: { perHour: number; maxAddresses?: number }): TAnswerLimiter {
  // Insertion order is the order the windows started: expired ones are always at the front.
  const windows = new Map<string, { startMs: number; count: number }>();
  return {
    allow(address, nowMs = Date.now()) {
      for (const [key, window] of windows) {
        if (nowMs - window.startMs < HOUR_MS && windows.size < maxAddresses) break;
        windows.delete(key);
      }
      const key = address.toLowerCase();
      const window = windows.get(key);
      if (!window) {
        windows.set(key, { startMs: nowMs, count: 1 });
        return true;
      }
      if (window.count >= perHour) return false;
      window.count += 1;
      return true;
    },
  };
}

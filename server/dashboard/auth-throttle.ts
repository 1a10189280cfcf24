import type { TAuthThrottleLimits } from '../../config/staff-auth-options';

/**
 * Failed staff authentications counted per client address and per account, on every path (sign-in form, HTTP
 * Basic, the identity provider's callback). An address that fails too often is stopped for the rest of its window;
 * an account only after many more failures, from any number of addresses, and only for minutes: someone guessing
 * from one address never locks the real user out, and guessing spread over many addresses is still bounded.
 */
export const AUTH_THROTTLE_LIMITS: TAuthThrottleLimits = {
  perAddress: { failures: 10, windowMs: 60_000 },
  perAccount: { failures: 50, windowMs: 10 * 60_000 },
};

/** Keys remembered at most (addresses and account names an attacker makes up); the oldest are forgotten first. */
const MAX_KEYS = 100_000;

export function createAuthThrottle(limits: TAuthThrottleLimits = AUTH_THROTTLE_LIMITS, now: () => number = Date.now) {
  /** Failure times, oldest first, per `a:<address>` and `u:<account>`. */
  const failures = new Map<string, number[]>();

  const recent = (key: string, windowMs: number): number[] => {
    const times = failures.get(key);
    if (!times) return [];
    const kept = times.filter((at) => at > now() - windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };

  /** Seconds until this key may try again, or 0. */
  const waitFor = (key: string, limit: { failures: number; windowMs: number }): number => {
    const times = recent(key, limit.windowMs);
    if (times.length < limit.failures) return 0;
    const freedAt = times[times.length - limit.failures]! + limit.windowMs;
    return Math.max(1, Math.ceil((freedAt - now()) / 1000));
  };

  const accountKey = (account: string) => `u:${account.trim().toLowerCase()}`;

  return {
    /** Seconds to wait before trying again (answered 429 with Retry-After), or 0 when this attempt may be checked. */
    retryAfterSeconds(address: string, account: string | null): number {
      return Math.max(waitFor(`a:${address}`, limits.perAddress), account === null ? 0 : waitFor(accountKey(account), limits.perAccount));
    },
    recordFailure(address: string, account: string | null): void {
      for (const key of [`a:${address}`, ...(account === null ? [] : [accountKey(account)])]) {
        const times = failures.get(key) ?? [];
        times.push(now());
        failures.delete(key); // re-inserted last: the map's order is least recently failed first
        failures.set(key, times.slice(-Math.max(limits.perAddress.failures, limits.perAccount.failures)));
      }
      while (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!);
    },
  };
}
export type TAuthThrottle = ReturnType<typeof createAuthThrottle>;

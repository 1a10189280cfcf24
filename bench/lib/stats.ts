// Small statistics and formatting helpers for the benchmarks.

export interface TDistribution {
  count: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentiles (p99 of 100 samples is the 99th smallest; of fewer than 100, the largest). */
export function distribution(values: number[]): TDistribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    medianMs: percentile(50),
    p95Ms: percentile(95),
    p99Ms: percentile(99),
    maxMs: sorted[sorted.length - 1]!,
    meanMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
  };
}

export const thousands = (n: number): string => n.toLocaleString('en-US');
export const megabytes = (bytes: number | null | undefined): string =>
  bytes === null || bytes === undefined || Number.isNaN(bytes) ? 'n/a' : `${thousands(Math.round(bytes / 1024 / 1024))} MB`;
export const fixed = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
export const percent = (share: number | null | undefined): string =>
  share === null || share === undefined ? 'n/a' : `${Math.round(share * 100)}%`;

/** Epoch milliseconds with sub-millisecond precision, comparable with Temporal's event times on the same machine. */
export const nowMs = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` over `items` with at most `limit` at a time; the first failure stops new tasks and is thrown. */
export async function runWithConcurrency<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await task(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export async function pollUntil<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

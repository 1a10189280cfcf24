// The eviction reproduction's workflow (bench/eviction-repro.ts): counts signals, answers queries, and ends after
// the number of signals it was started with. Every signal is a workflow task; every query on an evicted run replays.
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';

export const pingSignal = defineSignal('ping');
export const countQuery = defineQuery<number>('count');

export async function signalledWorkflow(signals: number): Promise<number> {
  let count = 0;
  setHandler(pingSignal, () => void count++);
  setHandler(countQuery, () => count);
  await condition(() => count >= signals);
  return count;
}

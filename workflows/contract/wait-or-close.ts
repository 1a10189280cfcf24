import type { Duration } from '@temporalio/common';
import { condition, patched } from '@temporalio/workflow';
import type { TContractRun } from './contract-run';
import { isClosed } from './derived';

/**
 * Unwinds the flow to its end when the contract has closed (a void, a decline, the partner's withdrawal or
 * termination, an expiry); the flow catches it and sends the closure notice. It never fails the workflow.
 */
export class ContractClosed extends Error {}

export function stopIfClosed(run: TContractRun): void {
  if (isClosed(run)) throw new ContractClosed();
}

/** Waits until `until` holds or the timeout passes (true: it holds); stops the flow if the contract closes meanwhile. */
export async function waitOrClose(run: TContractRun, until: () => boolean, timeout?: Duration): Promise<boolean> {
  const met = await condition(() => until() || isClosed(run), timeout);
  stopIfClosed(run);
  return met;
}

/**
 * An activity's result, unless the contract closed while it ran: then the flow stops where it is and ends closed,
 * instead of going on to ask for signatures or execute. Contracts that ran on without this check replay as they did.
 */
export async function unlessClosedMeanwhile<T>(run: TContractRun, activity: Promise<T>): Promise<T> {
  const result = await activity;
  if (isClosed(run) && patched('stop-when-closed-during-activity')) throw new ContractClosed();
  return result;
}

/** condition() treats 0 as "no timeout", so a deadline already passed waits 1 ms. */
export const msUntil = (epochMs: number): number => Math.max(1, epochMs - Date.now());

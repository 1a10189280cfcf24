import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { formatZodError } from '../domain/format-zod-error';
import type { THistoryEntry } from '../domain/schemas/common';

/** Validates workflow input; bad input fails the workflow at once instead of retrying a task forever. */
export function parseWorkflowInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw ApplicationFailure.nonRetryable(`Invalid ${what}: ${formatZodError(result.error)}`, 'InvalidInput');
  }
  return result.data;
}

/** For update validators: a thrown error rejects the update before anything enters history. */
export function parseUpdateInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`Invalid input: ${formatZodError(result.error)}`);
  return result.data;
}

export function requireStage<S extends string>(current: S, allowed: readonly S[], action: string): void {
  if (!allowed.includes(current)) {
    throw new Error(`Cannot ${action} while the stage is ${current} (allowed in: ${allowed.join(', ')})`);
  }
}

export const nowIso = (): string => new Date(Date.now()).toISOString();

export function appendHistory(history: THistoryEntry[], entry: Omit<THistoryEntry, 'at'>): void {
  history.push({ at: nowIso(), ...entry });
}

/** An idempotency key unique to this workflow (not run) and purpose, stable across retries and continue-as-new. */
export const idempotencyKey = (purpose: string): string => `${workflowInfo().workflowId}/${purpose}`;

import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { z } from 'zod';
import { findUnprintableCharacter, unprintableMessage } from '../domain/find-unprintable-character';
import { fieldProblems, type TFieldProblem } from '../domain/format-zod-error';

/**
 * Errors every CPO interface (CLI, HTTP) turns into a clear message and a non-zero exit or 4xx (503 for an outage).
 * Not every one is final: CpoUnavailableError means "try again"; code that decides for good uses isRefusal.
 */
export abstract class CpoError extends Error {
  abstract readonly httpStatus: number;
  constructor(
    message: string,
    readonly problems: TFieldProblem[] = [],
  ) {
    super(message);
  }
}

export class CpoInputError extends CpoError {
  readonly httpStatus = 400;
  static fromZod(error: z.ZodError): CpoInputError {
    return new CpoInputError('Invalid input', fieldProblems(error));
  }
  static forField(field: string, message: string): CpoInputError {
    return new CpoInputError('Invalid input', [{ field, message }]);
  }
}

export class CpoNotFoundError extends CpoError {
  readonly httpStatus = 404;
}

/** The action is well formed but not allowed now (wrong stage, gate closed, already exists). */
export class CpoRefusedError extends CpoError {
  readonly httpStatus = 409;
}

/** The Temporal server or every worker is restarting or overloaded: nothing is wrong with the request. */
export class CpoUnavailableError extends CpoError {
  readonly httpStatus = 503;
}

/** A refusal of the request itself (bad input, unknown id, not allowed now): the same request will be refused again. */
export const isRefusal = (error: unknown): error is CpoInputError | CpoNotFoundError | CpoRefusedError =>
  error instanceof CpoError && !(error instanceof CpoUnavailableError);

const GRPC_CANCELLED = 1;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_ABORTED = 10;
const GRPC_INTERNAL = 13;
const GRPC_UNAVAILABLE = 14;
const grpcCodeOf = (error: unknown): { code: number; details: string } | null => {
  const grpc = error instanceof ServiceError ? error.cause : error;
  return isGrpcServiceError(grpc) ? { code: grpc.code, details: grpc.details ?? grpc.message } : null;
};
/**
 * The server or a worker is down, restarting or overloaded. FAILED_PRECONDITION only as the server's answer to a
 * query that no worker can take now: none polls (a dead worker), or the workflow's last task failed and waits for
 * its retry (seen after a worker was killed); INTERNAL only when the connection broke (RST_STREAM, closed session).
 */
const isUnavailable = (error: unknown): boolean => {
  const grpc = grpcCodeOf(error);
  if (!grpc) return false;
  if (grpc.code === GRPC_FAILED_PRECONDITION) return /no poller|worker may be down|workflow task in failed state/i.test(grpc.details);
  if (grpc.code === GRPC_INTERNAL) return /RST_STREAM|session closed|connection (?:closed|reset|dropped)/i.test(grpc.details);
  return [GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_RESOURCE_EXHAUSTED, GRPC_ABORTED, GRPC_UNAVAILABLE].includes(grpc.code);
};

/** The SDK's message and Temporal's own reason under it ("Failed to start Workflow" alone says nothing). */
export function temporalReason(error: unknown): string {
  const parts: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const text = isGrpcServiceError(cause) ? cause.details || cause.message : cause.message;
    if (text && !parts.some((part) => part.includes(text))) parts.push(text);
  }
  return parts.join(': ') || String(error);
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw CpoInputError.fromZod(result.error);
  return result.data;
}

// Recorded by the server from the request, not written by a person; printed as received.
const NOT_WRITTEN = new Set(['userAgent', 'ipAddress']);

/**
 * parseInput for what a person writes that reaches a PDF or an email (names, programs, schools, statements,
 * reasons): a character no font of the documents draws is refused, naming the field and the character, instead of
 * printing as an empty box or being dropped.
 */
export function parseWrittenInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = parseInput(schema, value);
  const problems: TFieldProblem[] = [];
  const visit = (node: unknown, path: string[]): void => {
    if (typeof node === 'string') {
      const char = findUnprintableCharacter(node);
      if (char !== undefined) problems.push({ field: path.join('.') || '(input)', message: unprintableMessage(char) });
    } else if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, String(index)]));
    else if (node && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) if (!NOT_WRITTEN.has(key)) visit(item, [...path, key]);
    }
  };
  visit(parsed, []);
  if (problems.length > 0) throw new CpoInputError('Invalid input', problems);
  return parsed;
}

/** Turns Temporal's errors into CPO errors that name what went wrong. */
export async function explainTemporalErrors<T>(
  what: { kind: 'partner' | 'contract'; id: string; field: string },
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new CpoNotFoundError(`No ${what.kind} with id "${what.id}"`, [{ field: what.field, message: `no ${what.kind} "${what.id}"` }]);
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CpoRefusedError(`A ${what.kind} with id "${what.id}" already exists`, [
        { field: what.field, message: `"${what.id}" is taken` },
      ]);
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = error.cause?.message ?? error.message;
      throw new CpoRefusedError(`Refused: ${reason.replace(/^Invalid input: /, '')}`);
    }
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isUnavailable(error)) {
      throw new CpoUnavailableError(
        `The contracting system did not answer in time (it may be restarting); try again in a minute. A ${what.kind} action that did go through is never recorded twice.`,
      );
    }
    if ([GRPC_INVALID_ARGUMENT, GRPC_FAILED_PRECONDITION].includes(grpcCodeOf(error)?.code ?? -1)) {
      throw new CpoRefusedError(`Temporal refused the ${what.kind} "${what.id}": ${temporalReason(error)}`);
    }
    throw new Error(temporalReason(error), { cause: error });
  }
}

import type { z } from 'zod';

export interface TFieldProblem {
  field: string;
  message: string;
}

/** One problem per field, e.g. `{ field: 'endDate', message: 'must be after startDate (2026-09-01)' }`. */
export function fieldProblems(error: z.ZodError): TFieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    // zod says "Invalid input: expected string, received undefined" for a missing field.
    message: issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'is required' : issue.message,
  }));
}

/** `field: message`, one line per problem: how every message that lists field problems writes them. */
export const problemLines = (problems: readonly TFieldProblem[]): string[] => problems.map((p) => `${p.field}: ${p.message}`);

export function formatZodError(error: z.ZodError): string {
  return problemLines(fieldProblems(error)).join('; ');
}

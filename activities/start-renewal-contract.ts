import { ApplicationFailure } from '@temporalio/common';
import type { TPolicy } from '../domain/policy';
import { renewalRequestFor } from '../domain/renewal';
import type { TContractRequest, TContractStatus, TRenewContract } from '../domain/schemas/contract';
import { problemLines, type TFieldProblem } from '../domain/format-zod-error';
import { schoolYearNamed } from '../domain/school-year';

export interface TRenewalContracts {
  /** The policy new contracts start under (the current file, not the renewed contract's version). */
  policy: TPolicy;
  start(request: TContractRequest): Promise<TContractStatus>;
  status(contractId: string): Promise<TContractStatus | null>;
  /** Whether `start` refused the request itself (it will refuse it again), as opposed to an outage. */
  isRefusal(error: unknown): error is { message: string; problems: TFieldProblem[] };
}

export interface TStartRenewalInput {
  previous: TContractRequest;
  renewal: { by: { name: string; email: string }; changes: NonNullable<TRenewContract['changes']> };
  nextSchoolYear: string;
}

/**
 * Starts next school year's contract under the current policy. Idempotent: a retry finds the contract it
 * started. A request the current policy refuses (a route that no longer exists) fails without retrying; an outage
 * is retried.
 */
export const startRenewalContract =
  (contracts: TRenewalContracts) =>
  async (input: TStartRenewalInput): Promise<{ contractId: string }> => {
    const { policy } = contracts;
    const year = schoolYearNamed(input.nextSchoolYear, policy.schoolYear, policy.timeZone);
    const request = renewalRequestFor(input.previous, input.renewal, year, policy.timeZone);
    const existing = await contracts.status(request.contractId);
    if (existing) {
      if (existing.request.renewalOf === input.previous.contractId) return { contractId: request.contractId };
      throw ApplicationFailure.nonRetryable(
        `contract id "${request.contractId}" is taken by another contract; renew with another contractId`,
        'RenewalRefused',
      );
    }
    try {
      await contracts.start(request);
    } catch (error) {
      // Refused input or a refused action will not change on retry; an outage (server or worker down) will.
      if (!contracts.isRefusal(error)) throw error;
      const detail = problemLines(error.problems).join('; ');
      throw ApplicationFailure.nonRetryable(`${error.message}${detail ? ` (${detail})` : ''}`, 'RenewalRefused');
    }
    return { contractId: request.contractId };
  };

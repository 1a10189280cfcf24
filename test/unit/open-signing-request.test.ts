import { WorkflowNotFoundError } from '@temporalio/common';
import type { TCpoContext } from '../../client/context';
import { CpoUnavailableError } from '../../client/errors';
import { openSigningRequest } from '../../client/open-signing-request';
import { createSigningToken } from '../../security/signing-token';

// The Temporal client answering the status query with a given failure: the point is how the failure is named.
const SECRET = 'signing-secret-that-is-long-enough-0123456789';
const token = createSigningToken(
  {
    contractId: 'contract-1',
    role: 'partner',
    email: 'lan@partner.example',
    requestNumber: 1,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
  },
  SECRET,
);
const contextFailingWith = (failure: Error) =>
  ({
    client: {
      connection: { withDeadline: <R>(_deadline: number, call: () => Promise<R>) => call() },
      workflow: { getHandle: () => ({ query: () => Promise.reject(failure) }) },
    },
  }) as unknown as TCpoContext;

test('a contract that cannot be read now (server overloaded or restarting) is "try again", never "does not exist"', async () => {
  const unavailable = Object.assign(new Error('4 DEADLINE_EXCEEDED: deadline exceeded'), {
    code: 4,
    details: 'deadline exceeded',
    metadata: {},
  });
  await expect(openSigningRequest(contextFailingWith(unavailable), SECRET, token)).rejects.toBeInstanceOf(CpoUnavailableError);
});

test('a contract that does not exist is "not found"', async () => {
  await expect(
    openSigningRequest(contextFailingWith(new WorkflowNotFoundError('not found', 'contract-contract-1', undefined)), SECRET, token),
  ).resolves.toMatchObject({
    ok: false,
    reason: 'not_found',
  });
});

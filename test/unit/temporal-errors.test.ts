import { ServiceError } from '@temporalio/client';
import { CpoNotFoundError, CpoUnavailableError, explainTemporalErrors, isRefusal } from '../../client/errors';

// What the Temporal client throws when a part is down, as grpc-js builds it: an Error with code, details, metadata.
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
const explain = (error: Error) => explainTemporalErrors({ kind: 'contract', id: 'c-1', field: 'contractId' }, () => Promise.reject(error));

test.each([
  ['server down', grpcError(14, 'No connection established. Last error: connect ECONNREFUSED')],
  ['deadline', grpcError(4, 'Deadline exceeded after 10.001s')],
  [
    'dead worker (a query)',
    new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'no poller seen for task queue recently, worker may be down') }),
  ],
  [
    'workflow task retrying after a worker was killed (a query)',
    new ServiceError('Failed to query Workflow', { cause: grpcError(9, 'Unable to query workflow due to Workflow Task in failed state.') }),
  ],
  ['overloaded', grpcError(8, 'namespace rate limit exceeded')],
  [
    'connection broke mid-call',
    grpcError(13, 'Received RST_STREAM with code 2 triggered by internal client error: Session closed with error'),
  ],
  ['cancelled by a closing connection', grpcError(1, 'Call cancelled')],
])('an outage (%s) is CpoUnavailableError, "try again", not a refusal', async (_name, error) => {
  const explained = await explain(error).catch((thrown: unknown) => thrown);
  expect(explained).toBeInstanceOf(CpoUnavailableError);
  expect((explained as Error).message).toContain('try again in a minute');
  expect(isRefusal(explained)).toBe(false);
});

test.each([
  ['another FAILED_PRECONDITION', grpcError(9, 'Workflow execution is already completed')],
  ['a server bug', grpcError(13, 'unexpected nil pointer')],
  ['INVALID_ARGUMENT', grpcError(3, 'bad query type')],
])('%s is not taken for an outage', async (_name, error) => {
  const explained = await explain(error).catch((thrown: unknown) => thrown);
  expect(explained).not.toBeInstanceOf(CpoUnavailableError);
});

test('a refusal is final; an outage is not', () => {
  expect(isRefusal(new CpoNotFoundError('No contract with id "c-1"'))).toBe(true);
  expect(isRefusal(new CpoUnavailableError('try again in a minute'))).toBe(false);
  expect(isRefusal(new Error('anything else'))).toBe(false);
});

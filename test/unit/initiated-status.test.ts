import { loadPolicy } from '../../config/load-policy';
import { startOfDateMs } from '../../domain/dates';
import { initiatedStatus } from '../../domain/initiate-contract';
import { ZContractRequestSchema } from '../../domain/schemas/contract';
import { approvalPolicy, approvingOffice } from '../helpers/approval-policy';
import { contractRequest, departmentPaid } from '../helpers/fixtures';

const policy = loadPolicy('policies/minneapolis.json');
const requestOf = (overrides: Parameters<typeof contractRequest>[2] = {}) =>
  ZContractRequestSchema.parse(contractRequest('c-start', 'p-start', overrides));

// startContract answers with initiatedStatus instead of asking the new workflow, whose opening state (openContract) comes from the same function.
test('a $0 contract starts initiated, waiting for its partner, on its route, with nothing on record yet', () => {
  const request = requestOf();
  const status = initiatedStatus(policy, request);
  expect(status).toMatchObject({ contractId: 'c-start', stage: 'initiated', routeLabel: '$0 contract', approval: null, signing: null });
  expect(status.request).toEqual(request);
  expect(status.request.schools).not.toBe(request.schools);
  expect(status.waitingFor).toEqual(['the partner’s standing']);
  expect(status.history).toEqual([]);
  expect(status.programStartBlockedReason).toMatch(/final signed contract has not been received/);
  expect(status.goLiveAt).toBe(new Date(startOfDateMs(request.goLiveDate!, policy.timeZone)).toISOString());
});

test('a department-paid contract whose route needs the office’s approval starts waiting for it as well', () => {
  const status = initiatedStatus(approvalPolicy(), requestOf(departmentPaid));
  expect(status.approval).toEqual({
    approverEmail: approvingOffice.email,
    approverName: approvingOffice.name,
    approvedBy: null,
    approvedAt: null,
  });
  expect(status.waitingFor).toEqual([`approval by ${approvingOffice.email}`, 'the partner’s standing']);
  expect(status.districtSigner.office).toBe('Office of Academics');
});

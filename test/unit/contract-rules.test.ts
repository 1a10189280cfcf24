import { loadPolicy } from '../../config/load-policy';
import { programStartBlockedReason, resolveDistrictSigner } from '../../domain/contract-rules';
import { endOfDateMs, startOfDateMs } from '../../domain/dates';
import { CONTRACT_STAGES } from '../../domain/vocabulary';
import { contractRequest, departmentPaid } from '../helpers/fixtures';

const policy = loadPolicy('policies/minneapolis.json');

test('hard rule 1: a program may start only when the contract is live', () => {
  const allowed = CONTRACT_STAGES.filter(
    (stage) => programStartBlockedReason(stage, { goLiveAt: '2026-09-01T05:00:00.000Z', closedReason: null }) === null,
  );
  expect(allowed).toEqual(['live']);
});

test('each refusal says why', () => {
  const context = { goLiveAt: '2026-09-01T05:00:00.000Z', closedReason: null };
  expect(programStartBlockedReason('awaiting_partner_signature', context)).toBe(
    'the final signed contract has not been received: the partner has not signed the contract yet (stage awaiting_partner_signature)',
  );
  expect(programStartBlockedReason('executed', context)).toBe(
    'the contract is executed but its go-live date (2026-09-01T05:00:00.000Z) has not come',
  );
  expect(programStartBlockedReason('voided', { ...context, closedReason: 'cancelled by the school' })).toBe(
    'the contract is voided: cancelled by the school',
  );
});

test('the district signer is the paying department on department-paid contracts, else the office the route names', () => {
  expect(resolveDistrictSigner(policy, contractRequest('c-1', 'p-1', departmentPaid))).toEqual({
    name: 'Dana Approver',
    email: 'dana.approver@mpls.k12.mn.us',
    office: 'Office of Academics',
  });
  expect(resolveDistrictSigner(policy, contractRequest('c-1', 'p-1')).email).toBe('cpo@mpls.k12.mn.us');
  expect(resolveDistrictSigner(policy, contractRequest('c-1', 'p-1', { route: 'afterschool_academic' })).office).toBe('Extended Learning');
});

test('dates open and close at midnight in the district time zone, daylight saving included', () => {
  expect(new Date(startOfDateMs('2026-09-01', 'America/Chicago')).toISOString()).toBe('2026-09-01T05:00:00.000Z'); // CDT
  expect(new Date(startOfDateMs('2026-12-01', 'America/Chicago')).toISOString()).toBe('2026-12-01T06:00:00.000Z'); // CST
  expect(new Date(endOfDateMs('2027-06-10', 'America/Los_Angeles')).toISOString()).toBe('2027-06-11T07:00:00.000Z');
  expect(startOfDateMs('2026-09-01T15:30:00Z', 'America/Chicago')).toBe(Date.parse('2026-09-01T15:30:00Z'));
});

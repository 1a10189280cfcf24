// An amendment still waiting for signatures when the contract's term ends does not keep the contract live: the end
// of the term wins, the amendment expires with it, and no program starts in the new school year.
import { amendContract, getContractStatus, startContract, startProgram } from '../../client/contracts';
import { localDate } from '../../domain/school-year';
import { fakeWorkerFor, signWhenAsked, waitForStage } from '../helpers/fake-worker';
import { contractRequest, readyPartner } from '../helpers/fixtures';
import { shortYearPolicy } from '../helpers/short-year-policy';
import { contractHandle, eventually, uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const cpoOffice = { name: 'CPO Office', email: 'cpo@mpls.k12.mn.us' };
const TERM_MS = 30_000;

test('a live contract with an amendment out for signature expires at the end of its term, with the amendment', async () => {
  // Signature requests expire after 2 hours under this policy; the school year (and the contract) ends in 30 s.
  const policy = shortYearPolicy(TERM_MS - 1_000, TERM_MS);
  const { worker, context, sent } = await fakeWorkerFor(temporal, 'amendment-end-of-term', policy);
  const [partnerId, contractId] = [uniqueId('partner'), uniqueId('contract')];
  const endsAt = policy.schoolYear.calendar[0]!.endsAt;
  const yesterday = localDate(Date.now() - 86_400_000, policy.timeZone);
  await worker.runUntil(async () => {
    await readyPartner(context, partnerId);
    await startContract(
      context,
      contractRequest(contractId, partnerId, {
        startDate: yesterday,
        goLiveDate: yesterday,
        endDate: localDate(Date.parse(endsAt) - 1, policy.timeZone),
      }),
    );
    await signWhenAsked(context, contractId, 'partner', { name: 'Lan Nguyễn', email: `lan@${partnerId}.example` });
    await signWhenAsked(context, contractId, 'district', cpoOffice);
    await waitForStage(context, contractId, 'live');
    await amendContract(context, contractId, { by: cpoOffice, addSchools: ['Sanford Middle'] });
    await eventually(async () => (await getContractStatus(context, contractId)).signing?.amendmentNumber === 1);

    const handle = contractHandle(temporal.env.client, contractId);
    await eventually(async () => (await handle.describe()).status.name !== 'RUNNING', TERM_MS + 15_000);
    const ended = await handle.result();
    expect(Date.parse(ended.history.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(endsAt));
    expect(ended).toMatchObject({ stage: 'expired', closedReason: expect.stringContaining('school year ended') });
    expect(ended.amendments).toEqual([
      expect.objectContaining({
        number: 1,
        status: 'expired',
        closedReason: 'the contract ended before the partner signature was received',
      }),
    ]);
    await expect(startProgram(context, contractId, { by: { name: 'Principal' } })).rejects.toThrow(
      /Program cannot start: the contract is expired/,
    );
  });
  expect(sent.at(-1)).toMatchObject({ kind: 'contract_closed', stage: 'expired' });
});

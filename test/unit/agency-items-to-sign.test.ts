import { listAgencyItemsToSign } from '../../domain/list-agency-items-to-sign';
import type { TContractStatus } from '../../domain/schemas/contract';
import { contractRequest } from '../helpers/fixtures';
import { testPolicy } from '../helpers/temporal';

const policy = {
  ...testPolicy(),
  agencyRecords: {
    always: ['safety_attestation' as const],
    byRoute: {},
    byCategory: { mental_health: ['background_check_affirmation' as const] },
    whenStudentDataExchanged: ['data_sharing_agreement' as const],
    renewEachSchoolYear: ['safety_attestation' as const],
    studentDataManagedBy: 'agency',
  },
};
const contract = (schoolYear: string, overrides: object = {}, stage: TContractStatus['stage'] = 'awaiting_prerequisites') =>
  ({
    schoolYear,
    stage,
    request: { ...contractRequest('c-1', 'p-1'), category: 'contracted_partner', exchangesStudentData: false, ...overrides },
  }) as unknown as TContractStatus;
const nothingOnFile = { attestations: [], records: [] };

describe('what the agency must still sign', () => {
  it('lists this year’s attestation, next year’s only once a contract for it exists, and what contracts need', () => {
    expect(listAgencyItemsToSign(policy as never, nothingOnFile, [], ['2026-2027', '2027-2028']).map((i) => i.label)).toEqual([
      'safety protocol attestation for 2026-2027',
    ]);
    const items = listAgencyItemsToSign(
      policy as never,
      nothingOnFile,
      [contract('2027-2028', { category: 'mental_health', exchangesStudentData: true })],
      ['2026-2027', '2027-2028'],
    );
    expect(items.map((i) => [i.kind, i.schoolYear])).toEqual([
      ['safety_attestation', '2026-2027'],
      ['safety_attestation', '2027-2028'],
      ['background_check_affirmation', null],
      ['data_sharing_agreement', null],
    ]);
  });

  it('leaves out what is on file and what closed contracts needed; links come from the link maker', () => {
    const partner = {
      attestations: [{ schoolYear: '2026-2027' }] as never[],
      records: [{ kind: 'background_check_affirmation' as const, schoolYear: null, by: 'x', at: 'x', statement: 'x' }],
    };
    const contracts = [
      contract('2026-2027', { category: 'mental_health' }),
      contract('2026-2027', { exchangesStudentData: true }, 'voided'),
    ];
    expect(listAgencyItemsToSign(policy as never, partner, contracts, ['2026-2027'])).toEqual([]);
    const linked = listAgencyItemsToSign(
      policy as never,
      nothingOnFile,
      [],
      ['2026-2027'],
      (item) => `https://x.example/sign/${item.kind}`,
    );
    expect(linked[0]!.link).toBe('https://x.example/sign/safety_attestation');
  });
});

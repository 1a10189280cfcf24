import { directoryCsv, distributionCsv } from '../../client/search/directory-csv';
import { contractQuery, type TContractListing } from '../../client/search/search-contracts';
import { summarizeDirectory } from '../../client/search/summarize-directory';
import { partnerNameClauses } from '../../client/search/visibility-query';
import { partnerWordsSearchAttribute } from '../../domain/search-attributes';
import { renderDistributionChart } from '../../server/dashboard/pages/distribution-chart';
import { testPolicy } from '../helpers/temporal';

const listing = (
  contractId: string,
  partnerId: string,
  schools: string[],
  services: string[],
  extra: Partial<TContractListing> = {},
): TContractListing => ({
  contractId,
  programName: `Program ${contractId}`,
  organizationName: `Org ${partnerId}`,
  partnerId,
  stage: 'live',
  route: 'zero_dollar',
  category: 'contracted_partner',
  schoolYear: '2026-2027',
  schools,
  services,
  amountCents: 0,
  nextDeadline: null,
  goLiveAt: null,
  endDate: null,
  startedAt: '2026-09-01T00:00:00.000Z',
  programStartBlockedReason: null,
  ...extra,
});

const listings = [
  listing('c1', 'p1', ['Anwatin', 'Folwell'], ['arts', 'enrichment']),
  listing('c2', 'p1', ['Folwell'], ['arts'], { category: 'mental_health' }),
  listing('c3', 'p2', ['Folwell'], ['literacy_tutoring'], { organizationName: '=HYPERLINK("http://x")' }),
];

describe('partnership directory', () => {
  it('groups programs by partner and counts services per school', () => {
    const directory = summarizeDirectory(listings);
    expect(directory.totals).toEqual({ partners: 2, programs: 3, schools: 2 });
    const folwell = directory.schools.find((s) => s.school === 'Folwell')!;
    expect([
      folwell.partners,
      folwell.programs,
      folwell.services.arts,
      folwell.services.enrichment,
      folwell.services.literacy_tutoring,
    ]).toEqual([2, 3, 2, 1, 1]);
    const p1 = directory.partners.find((p) => p.partnerId === 'p1')!;
    expect(p1.categories).toEqual(['contracted_partner', 'mental_health']);
    expect(p1.schools).toEqual(['Anwatin', 'Folwell']);
  });

  it('the per-school view counts only that school', () => {
    expect(summarizeDirectory(listings, 'Anwatin').schools.map((s) => [s.school, s.programs])).toEqual([['Anwatin', 1]]);
  });

  it('exports CSV a spreadsheet cannot run: formulas are neutralised, commas quoted', () => {
    const rows = directoryCsv(summarizeDirectory(listings)).trim().split('\r\n');
    expect(rows).toHaveLength(1 + 4); // c1 at two schools, c2, c3
    expect(rows).toContain(`Folwell,"'=HYPERLINK(""http://x"")",Program c3,Literacy / tutoring,Contracted community partner,Live,c3`);
    expect(distributionCsv(summarizeDirectory(listings)).split('\r\n')[2]).toBe('Folwell,2,3,1,1,2,0,0,0,0,0');
  });

  it('draws one bar per school with a segment per service offered', () => {
    const svg = renderDistributionChart(summarizeDirectory(listings).schools);
    expect(svg.match(/<g class="school"/g)).toHaveLength(2);
    const folwell = /<g class="school" data-school="Folwell">(.*?)<\/g>/.exec(svg)![1]!;
    expect(folwell.match(/<rect /g)).toHaveLength(3);
    expect(svg).not.toContain('<script');
  });
});

describe('visibility queries', () => {
  it('turn typed text into word clauses that cannot change the query', () => {
    expect(partnerNameClauses(`Hội "Người" x' OR 1=1`)).toEqual(
      ['hội', 'người', 'x', 'or', '1'].map((word) => `(CpoPartnerWords = '${word}' OR CpoPartnerName = '${word}')`),
    );
  });

  it('store and search a name by the same folded words, whatever the case, accents or punctuation typed', () => {
    const decomposed = 'Ho\u0302\u0323i Người-Việt, ACADEMY & Academy';
    const stored = String(partnerWordsSearchAttribute(decomposed).value);
    expect(stored).toBe('hội người việt academy');
    const searched = partnerNameClauses('HỘI academy.').map((clause) => /CpoPartnerWords = '([^']*)'/.exec(clause)![1]);
    expect(searched).toEqual(['hội', 'academy']);
    for (const word of searched) expect(stored.split(' ')).toContain(word);
  });

  it('quote values with apostrophes and build the attention views from the policy', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const query = contractQuery(
      { view: 'overdue_signatures', school: "St. Mary's" },
      testPolicy({ remindEvery: '3d', expireAfter: '30d' }),
      now,
    );
    expect(query).toBe(
      "WorkflowType = 'contractWorkflow' AND CpoStage IN ('awaiting_partner_signature', 'awaiting_district_signature') AND CpoNextDeadline < '2026-12-20T12:00:00.000Z' AND (CpoSchools = 'St. Mary\\'s' OR CpoSchoolsMore = 'St. Mary\\'s')",
    );
  });
});

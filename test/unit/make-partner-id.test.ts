import { isSameOrganizationName } from '../../domain/is-same-organization-name';
import { makePartnerId } from '../../domain/make-partner-id';
import { ZIdSchema } from '../../domain/schemas/common';

describe('partner ids made from organization names', () => {
  it('slugs the name, then numbers the next organizations with the same slug', () => {
    expect(makePartnerId('Lantern Arts & Co.')).toBe('lantern-arts-co');
    expect(makePartnerId('Lantern Arts & Co.', 2)).toBe('lantern-arts-co-2');
    expect(makePartnerId('Café Élan — Tutoring')).toBe('cafe-elan-tutoring');
  });

  it('always makes a valid id, also from names with no Latin letters, very long names or near-empty slugs', () => {
    for (const name of ['東京アート', 'መስቀል ኪነ ጥበብ', 'X', 'A'.repeat(200), '---', 'Ω ü']) {
      for (const attempt of [1, 2, 20]) expect(ZIdSchema.safeParse(makePartnerId(name, attempt)).success).toBe(true);
    }
    expect(makePartnerId('東京アート')).not.toBe(makePartnerId('大阪アート'));
  });

  it('takes case, spacing, punctuation and accents as the same name, other words as another', () => {
    expect(isSameOrganizationName('River Tutors', ' river-tutors! ')).toBe(true);
    expect(isSameOrganizationName('Café Élan', 'CAFE ELAN')).toBe(true);
    expect(isSameOrganizationName('River Tutors', 'River Tutors North')).toBe(false);
  });
});

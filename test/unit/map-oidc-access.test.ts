import { mapOidcAccess } from '../../domain/map-oidc-access';

const mapping = {
  claim: 'groups',
  map: {
    'CPO-Office': { role: 'cpo' as const },
    'obsa-staff': { role: 'department' as const, departments: ['Office of Black Student Achievement'] },
    'all-staff': { role: 'viewer' as const },
  },
};

test('the first mapped value the claim holds decides the role, whatever its case; none is no role', () => {
  expect(mapOidcAccess(mapping, { groups: ['all-staff', 'cpo-office'] })).toEqual({ role: 'cpo' });
  expect(mapOidcAccess(mapping, { groups: ['all-staff', 'obsa-staff'] })).toEqual({
    role: 'department',
    departments: ['Office of Black Student Achievement'],
  });
  expect(mapOidcAccess(mapping, { groups: 'all-staff' })).toEqual({ role: 'viewer' });
  expect(mapOidcAccess(mapping, { groups: ['students'] })).toBeNull();
  expect(mapOidcAccess(mapping, { roles: ['CPO-Office'] })).toBeNull();
  expect(mapOidcAccess(mapping, { groups: [{ name: 'CPO-Office' }] })).toBeNull();
});

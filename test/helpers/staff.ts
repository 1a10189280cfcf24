import type { TStaffAccess } from '../../domain/staff-access';
import { hashStaffPassword } from '../../security/staff-password';
import type { TStaffAuthOptions } from '../../config/staff-auth-options';

/** The paying department of ROLE_STAFF.department and the school of ROLE_STAFF.principal (names no other test uses). */
export const ROLE_DEPARTMENT = 'Office of Black Student Achievement';
export const ROLE_SCHOOL = 'Roosevelt High (roles)';

/**
 * The CPO office's signer (countersigns $0 contracts) and an analyst who may not countersign, both of the office;
 * then one account of each other role.
 */
export const STAFF = {
  director: {
    username: 'cpo-director',
    password: 'director-password-1',
    name: 'Dana Director',
    email: 'cpo@mpls.k12.mn.us',
    access: { role: 'cpo' },
  },
  analyst: {
    username: 'analyst',
    password: 'analyst-password-1',
    name: 'Ari Analyst',
    email: 'ari.analyst@mpls.k12.mn.us',
    access: { role: 'cpo' },
  },
  department: {
    username: 'obsa-lead',
    password: 'department-password-1',
    name: 'Desta Department',
    email: 'desta@mpls.k12.mn.us',
    access: { role: 'department', departments: [ROLE_DEPARTMENT] },
  },
  principal: {
    username: 'principal',
    password: 'principal-password-1',
    name: 'Pat Principal',
    email: 'pat.principal@mpls.k12.mn.us',
    access: { role: 'school', schools: [ROLE_SCHOOL] },
  },
  viewer: {
    username: 'viewer',
    password: 'viewer-password-1',
    name: 'Vic Viewer',
    email: 'vic@mpls.k12.mn.us',
    access: { role: 'viewer' },
  },
} as const satisfies Record<string, { username: string; password: string; name: string; email: string; access: TStaffAccess }>;

export function testStaffAuth(): TStaffAuthOptions {
  return {
    users: Object.values(STAFF).map(({ password, access, ...user }) => ({
      ...user,
      passwordHash: hashStaffPassword(password),
      access: structuredClone(access) as TStaffAccess,
    })),
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    secureCookies: false,
  };
}

export const basicAuth = (who: keyof typeof STAFF): string =>
  `Basic ${Buffer.from(`${STAFF[who].username}:${STAFF[who].password}`).toString('base64')}`;

import { hashStaffPassword } from '../../security/staff-password';
import type { TStaffAuthOptions } from '../../server/dashboard/staff-auth';

/** The CPO office's signer (countersigns $0 contracts) and an analyst who may not countersign. */
export const STAFF = {
  director: { username: 'cpo-director', password: 'director-password-1', name: 'Dana Director', email: 'cpo@mpls.k12.mn.us' },
  analyst: { username: 'analyst', password: 'analyst-password-1', name: 'Ari Analyst', email: 'ari.analyst@mpls.k12.mn.us' },
} as const;

export function testStaffAuth(): TStaffAuthOptions {
  return {
    users: Object.values(STAFF).map(({ password, ...user }) => ({ ...user, passwordHash: hashStaffPassword(password), access: { role: 'cpo' as const } })),
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    secureCookies: false,
  };
}

export const basicAuth = (who: keyof typeof STAFF): string =>
  `Basic ${Buffer.from(`${STAFF[who].username}:${STAFF[who].password}`).toString('base64')}`;

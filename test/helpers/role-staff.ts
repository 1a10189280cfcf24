import type { TCpoContext } from '../../client/context';
import { getContractStatus, signContract } from '../../client/contracts';
import type { TStaffAccess } from '../../domain/staff-access';
import { hashStaffPassword } from '../../security/staff-password';
import type { TStaffAuthOptions } from '../../config/staff-auth-options';
import { departmentPaid, signAsPartner } from './fixtures';
import { eventually } from './temporal';

/** One account of each role: the office, the Office of Academics (pays department_paid fixtures), a principal, a viewer. */
export const ROLE_STAFF = {
  office: { username: 'office', password: 'office-password-1', name: 'Olu Office', email: 'cpo@mpls.k12.mn.us', access: { role: 'cpo' } },
  academics: {
    username: 'academics',
    password: 'academics-password-1',
    name: departmentPaid.payingDepartment.approverName,
    email: departmentPaid.payingDepartment.approverEmail,
    access: { role: 'department', departments: [departmentPaid.payingDepartment.name] },
  },
  principal: {
    username: 'principal',
    password: 'principal-password-1',
    name: 'Principal Amina Hassan',
    email: 'amina.hassan@mpls.k12.mn.us',
    access: { role: 'school', schools: ['Anwatin Middle'] },
  },
  viewer: {
    username: 'viewer',
    password: 'viewer-password-1',
    name: 'Vic Viewer',
    email: 'vic.viewer@mpls.k12.mn.us',
    access: { role: 'viewer' },
  },
} as const satisfies Record<string, { username: string; password: string; name: string; email: string; access: TStaffAccess }>;
export type TRoleAccount = keyof typeof ROLE_STAFF;

export function roleStaffAuth(): TStaffAuthOptions {
  return {
    users: Object.values(ROLE_STAFF).map(({ password, access, ...user }) => ({
      ...user,
      access: structuredClone(access) as TStaffAccess,
      passwordHash: hashStaffPassword(password),
    })),
    sessionSecret: 'test-session-secret-that-is-long-enough-0123456789',
    secureCookies: false,
  };
}

export const roleBasicAuth = (who: TRoleAccount): string =>
  `Basic ${Buffer.from(`${ROLE_STAFF[who].username}:${ROLE_STAFF[who].password}`).toString('base64')}`;

/** A department-paid contract of the ready partner driven to live: the partner signs, then the department's approver. */
export async function driveToLive(context: TCpoContext, contractId: string, partnerId: string): Promise<void> {
  await signAsPartner(context, contractId, partnerId);
  const awaiting = await getContractStatus(context, contractId);
  await signContract(context, contractId, {
    role: 'district',
    name: ROLE_STAFF.academics.name,
    email: ROLE_STAFF.academics.email,
    consent: true,
    method: 'cli',
    documentSha256: awaiting.documents.contract!.sha256,
  });
  await eventually(async () => (await getContractStatus(context, contractId)).stage === 'live');
}

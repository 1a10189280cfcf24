import { z } from 'zod';
import { ZNameSchema } from './schemas/common';

/**
 * What a staff account may do. `cpo`: the partnerships office, everything. `department`: the paying departments
 * or schools it names: start contracts they pay for, approve them, see them. `school`: a principal: see every
 * contract at its schools and record program starts there. `viewer`: read only.
 */
export const STAFF_ROLES = ['cpo', 'department', 'school', 'viewer'] as const;
export type TStaffRole = (typeof STAFF_ROLES)[number];

const ZNameListSchema = z
  .array(ZNameSchema)
  .min(1, 'needs at least one name')
  .refine((names) => new Set(names).size === names.length, 'lists a name twice');

export const ZStaffAccessSchema = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('cpo') }),
    z.object({ role: z.literal('department'), departments: ZNameListSchema }),
    z.object({ role: z.literal('school'), schools: ZNameListSchema }),
    z.object({ role: z.literal('viewer') }),
  ],
  { error: `must be one of: ${STAFF_ROLES.join(', ')}` },
);
export type TStaffAccess = z.infer<typeof ZStaffAccessSchema>;

/** The parts of a contract that decide who may see or act on it. */
export interface TContractScope {
  payingDepartment?: string | null;
  schools: readonly string[];
}

const sameName = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
const includesName = (names: readonly string[], name: string | null | undefined): boolean =>
  name !== null && name !== undefined && names.some((n) => sameName(n, name));

/** Everyone with an account may read; departments and schools only their own contracts. */
export function canSeeContract(access: TStaffAccess, contract: TContractScope): boolean {
  switch (access.role) {
    case 'cpo':
    case 'viewer':
      return true;
    case 'department':
      return includesName(access.departments, contract.payingDepartment);
    case 'school':
      return contract.schools.some((school) => includesName(access.schools, school));
  }
}

/** Starting a contract: the office on any route; a department only for contracts it pays for. */
export function canStartContract(access: TStaffAccess, payingDepartment: string | null | undefined): boolean {
  if (access.role === 'cpo') return true;
  return access.role === 'department' && includesName(access.departments, payingDepartment);
}

/** Whether the account may start any contract at all (the New contract form and its link). */
export const mayStartContracts = (access: TStaffAccess): boolean => access.role === 'cpo' || access.role === 'department';

/** Whether the account may record any program start (the Program starts pages and their link). */
export const mayRecordProgramStarts = (access: TStaffAccess): boolean => access.role === 'cpo' || access.role === 'school';

/** Approving as the paying department (the approver by link needs no account at all). */
export function canApproveContract(access: TStaffAccess, contract: TContractScope): boolean {
  return access.role === 'cpo' || (access.role === 'department' && includesName(access.departments, contract.payingDepartment));
}

/** Recording that a program started at a school: the office, or that school's principal. */
export function canRecordProgramStart(access: TStaffAccess, school: string): boolean {
  return access.role === 'cpo' || (access.role === 'school' && includesName(access.schools, school));
}

/** Everything else the office does (certify partners, countersign, void, amend, renew, staff records). */
export const isOffice = (access: TStaffAccess): boolean => access.role === 'cpo';

/** The reason shown with a 403: what the role is, and what it may do. */
export function refusalFor(access: TStaffAccess, action: string): string {
  switch (access.role) {
    case 'cpo':
      return `the partnerships office may ${action}`;
    case 'department':
      return `your account acts for ${access.departments.join(', ')} and may not ${action}`;
    case 'school':
      return `your account acts for the schools ${access.schools.join(', ')} and may not ${action}`;
    case 'viewer':
      return `your account is read-only and may not ${action}`;
  }
}

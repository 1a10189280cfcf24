import type { TCpoContext } from '../../client/context';
import { getContractStatus } from '../../client/contracts';
import { CpoError } from '../../client/errors';
import { readAllListings } from '../../client/search/read-listing';
import { inList } from '../../client/search/visibility-query';
import { canSeeContract, type TStaffAccess } from '../../domain/staff-access';

/** Beyond this many contracts a department's lists are cut short (logged); far above one district's year. */
const MAX_CONTRACTS_SCANNED = 20_000;
/** A clause no workflow matches: a department that pays for no contract sees empty lists. */
const NOTHING = `WorkflowId = ''`;
/** How long one older contract (no list memo) may take to say who pays for it. */
const QUERY_DEADLINE_MS = 5_000;
/** A contract whose paying department could not be read now. */
const UNKNOWN = Symbol('unknown');

/**
 * The visibility clauses that narrow lists and board counts to the contracts an account may see. Schools are a
 * search attribute; the paying department is not, so a department's contracts are found once (the department
 * never changes on a contract: from the list memo, or one query for contracts started before it was there) and
 * named by workflow id.
 */
export function createContractScope(context: TCpoContext) {
  const departmentOf = new Map<string, string | null>();

  async function payingDepartmentOf(
    workflowId: string,
    memo: Record<string, unknown> | undefined,
  ): Promise<string | null | typeof UNKNOWN> {
    if (memo && 'payingDepartment' in memo) return (memo.payingDepartment as string | null) ?? null;
    const known = departmentOf.get(workflowId);
    if (known !== undefined) return known;
    try {
      const status = await context.client.connection.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        getContractStatus(context, workflowId.replace(/^contract-/, '')),
      );
      const department = status.request.payingDepartment?.name ?? null;
      departmentOf.set(workflowId, department);
      return department;
    } catch (error) {
      // A contract that does not answer now (or cannot: gone, its query refused) is left out of this list (not remembered): shown once it answers.
      if (error instanceof CpoError) return UNKNOWN;
      throw error;
    }
  }

  return async function scopeClauses(access: TStaffAccess): Promise<string[]> {
    switch (access.role) {
      case 'cpo':
      case 'viewer':
        return [];
      case 'school':
        return [`(CpoSchools IN ${inList(access.schools)} OR CpoSchoolsMore IN ${inList(access.schools)})`];
      case 'department': {
        const executions = await readAllListings(context, `WorkflowType = 'contractWorkflow'`, MAX_CONTRACTS_SCANNED);
        const departments = await Promise.all(executions.map((execution) => payingDepartmentOf(execution.workflowId, execution.memo)));
        const visible = executions
          .filter(
            (_execution, index) =>
              departments[index] !== UNKNOWN && canSeeContract(access, { payingDepartment: departments[index], schools: [] }),
          )
          .map((execution) => execution.workflowId);
        return visible.length > 0 ? [`WorkflowId IN ${inList([...new Set(visible)])}`] : [NOTHING];
      }
    }
  };
}
export type TContractScopeClauses = ReturnType<typeof createContractScope>;

import { z } from 'zod';
import { hashStaffPassword } from '../../security/staff-password';
import { parseInput } from '../errors';

const ZStaffPasswordInputSchema = z.object({
  password: z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters'),
});

/** `cpo staff-password`: the hash to put as `passwordHash` in the staff users file. */
export function runStaffPasswordCommand(input: { password: string }): string {
  return hashStaffPassword(parseInput(ZStaffPasswordInputSchema, input).password);
}

import { z } from 'zod';
import { hashStaffPassword } from '../../../security/staff-password';
import { parseInput } from '../../errors';
import { defineCommand } from '../command';
import { text } from '../flags';

const ZStaffPasswordInputSchema = z.object({
  password: z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters'),
});

/** `cpo staff-password`: the hash to put as `passwordHash` in the staff users file. */
export function runStaffPasswordCommand(input: { password: string }): string {
  return hashStaffPassword(parseInput(ZStaffPasswordInputSchema, input).password);
}

/** The first line of standard input (a password piped in, so it stays out of the shell history). */
async function readStandardInput(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  return input.split(/\r?\n/)[0] ?? '';
}

export const staffPassword = defineCommand({
  name: 'staff-password',
  summary:
    'Hash a dashboard password for the staff users file (--password, or the password on standard input); the account\'s role is its "access" there, e.g. {"role":"department","departments":["Office of Academics"]} (README, "Roles")',
  flags: { password: text },
  run: async (_c, f) => runStaffPasswordCommand({ password: f.password ?? (await readStandardInput()) }),
  human: (r) => r,
});

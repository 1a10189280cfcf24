import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../domain/format-zod-error';
import { ZEmailSchema, ZNameSchema } from '../domain/schemas/common';
import { ZStaffAccessSchema } from '../domain/staff-access';
import { hashStaffPassword, ZStaffPasswordHashSchema } from '../security/staff-password';
import { ConfigError } from './env';

export const ZStaffUserSchema = z.object({
  username: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,40}$/,
      'must be 2-41 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit',
    ),
  name: ZNameSchema,
  email: ZEmailSchema,
  passwordHash: ZStaffPasswordHashSchema,
  /** What the account may do; files written before roles existed are the office's own accounts. */
  access: ZStaffAccessSchema.default({ role: 'cpo' }),
});
export type TStaffUser = z.output<typeof ZStaffUserSchema>;
/** Who did a staff action, as recorded on timelines and signatures. */
export type TStaffIdentity = Pick<TStaffUser, 'username' | 'name' | 'email'>;

export const ZStaffUsersFileSchema = z
  .object({ users: z.array(ZStaffUserSchema).min(1, 'must list at least one user') })
  .superRefine(({ users }, context) => {
    const usernames = users.map((user) => user.username);
    const duplicate = usernames.find((username, index) => usernames.indexOf(username) !== index);
    if (duplicate !== undefined) {
      context.addIssue({ code: 'custom', path: ['users'], message: `username "${duplicate}" appears more than once` });
    }
  });

/** Reads and checks the staff users file; a bad one stops the program with the file and the field named. */
export function loadStaffUsers(file: string): TStaffUser[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(`CPO_STAFF_FILE ${file}: cannot read: ${reason}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`CPO_STAFF_FILE ${file}: not valid JSON: ${(error as Error).message}`);
  }
  const result = ZStaffUsersFileSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`CPO_STAFF_FILE ${file}: ${formatZodError(result.error)}`);
  return result.data.users;
}

/**
 * The embedded mode's staff file: made once with one user and a random password, which is returned only when
 * the file is made so the starter can print it.
 */
export function ensureDevelopmentStaffFile(file: string): { created: boolean; username: string; password?: string } {
  const existingUsername = (): string => loadStaffUsers(file)[0]!.username;
  if (existsSync(file)) return { created: false, username: existingUsername() };
  const password = randomBytes(12).toString('base64url');
  const user: TStaffUser = {
    username: 'staff',
    name: 'CPO Staff',
    email: 'staff@cpo.localhost',
    passwordHash: hashStaffPassword(password),
    access: { role: 'cpo' },
  };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${JSON.stringify({ users: [user] }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { created: false, username: existingUsername() };
    throw error;
  }
  return { created: true, username: user.username, password };
}

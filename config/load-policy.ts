import { readFileSync } from 'node:fs';
import { formatZodError } from '../domain/format-zod-error';
import { ZPolicySchema, type TPolicy } from '../domain/policy';
import { ConfigError } from './env';

/** Reads and checks a district policy file; a bad one stops the program with the field named. */
export function loadPolicy(file: string): TPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read policy file ${file}: ${(error as Error).message}`);
  }
  const result = ZPolicySchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`Invalid policy file ${file}: ${formatZodError(result.error)}`);
  if (!result.data.schools?.length)
    throw new ConfigError(`Invalid policy file ${file}: schools: must list the district's schools (contracts may name only these)`);
  return result.data;
}

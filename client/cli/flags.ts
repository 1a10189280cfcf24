import os from 'node:os';
import { z } from 'zod';
import { MAX_AMOUNT_DOLLARS } from '../../domain/schemas/common';
import { CpoInputError } from '../errors';

/** Domain field paths → the flag a user typed, so errors name what the user can fix. */
const FLAG_ALIASES: Record<string, string> = {
  schools: 'school',
  services: 'service',
  categories: 'category',
  'amount-cents': 'amount',
  'reviewer-name': 'reviewer',
  // A person given by --x-name and --x-email, missing altogether: ask for the name.
  'initiated-by': 'initiated-by-name',
  by: 'by-name',
  'partner-signer': 'partner-signer-name',
  'add-schools': 'school',
  'changes-schools': 'school',
  'changes-amount-cents': 'amount',
  'changes-contract-id': 'new-contract-id',
};

const kebab = (text: string): string => text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `payingDepartment.approverEmail` → `--paying-department-approver-email`; `schools.1` → `--school`. */
export function flagForField(field: string): string {
  if (field === '(input)') return 'input';
  if (field === 'checklist' || field.startsWith('checklist.')) return '--meets';
  const joined = field
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment))
    .map(kebab)
    .join('-');
  return `--${FLAG_ALIASES[joined] ?? joined}`;
}

export const AMOUNT_EXPECTED = `expected dollars with at most two decimals, like 1500.50, up to ${MAX_AMOUNT_DOLLARS}`;

/**
 * "1500", "1500.5" or "1500.50" dollars → cents; anything else (12.345, 1e309, NaN, over the maximum) is refused as
 * --amount, and any minus sign ("-0" too) as negative.
 */
export function dollarsToCents(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw CpoInputError.forField('amount', AMOUNT_EXPECTED);
  if (match[1]) throw CpoInputError.forField('amount', 'must not be negative');
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (cents > MAX_AMOUNT_DOLLARS * 100) throw CpoInputError.forField('amount', AMOUNT_EXPECTED);
  return cents;
}

/** Drops keys whose value is undefined, so optional flags left out stay absent. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds `{ name, email }` from `--x-name` and `--x-email`, or leaves it out when both are missing. */
export function actor(name: string | undefined, email: string | undefined): { name?: string; email?: string } | undefined {
  if (name === undefined && email === undefined) return undefined;
  return compact({ name, email });
}

/** Flag schemas: `--x value`, `--x a --x b` (repeatable), `--x` (a switch). */
export const text = z.string().optional();
export const list = z.array(z.string()).optional();
export const toggle = z.boolean().optional();

/** The person acting, as `--by-name` and `--by-email`. */
export const BY_FLAGS = { 'by-name': text, 'by-email': text };
type TByFlags = { 'by-name'?: string; 'by-email'?: string };
/** `{ name, email }` of the person acting, or nothing when neither flag is given. */
export const byActor = (flags: TByFlags) => actor(flags['by-name'], flags['by-email']);
/** `{ name, email }` of the person acting, `{}` when neither flag is given (the schema then names the name). */
export const byPerson = (flags: TByFlags) => compact({ name: flags['by-name'], email: flags['by-email'] });

/** Where a CLI signature came from, for the signature record. */
export const cliOrigin = (): string => `cpo-cli on ${os.hostname()} (${os.userInfo().username})`;

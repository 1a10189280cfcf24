// fast-check arbitraries for bad input, derived from the real zod schemas: a value is "bad" only when the schema
// refuses it, so a property that expects a refusal can never be handed valid input by accident.
import fc from 'fast-check';
import type { z } from 'zod';

/**
 * What a message must never contain: a stack frame, a JavaScript error class, `undefined` leaking from a missing
 * value, or an internal `Error:` prefix. Generated input never contains these, so finding one means a leak.
 */
export const INTERNALS = /\n\s+at |\bat [^\s]+\.[jt]s:\d+|TypeError|ReferenceError|RangeError|SyntaxError|\bundefined\b|(^|\n)\s*Error:/;
export const leaksInternals = (text: string): boolean => INTERNALS.test(text);
/** Input is kept free of what INTERNALS looks for, so its echo in a message cannot be mistaken for a leak. */
const clean = (text: string): boolean => !INTERNALS.test(text) && !/Error/.test(text);

/** Lone surrogates cannot be sent over HTTP or as UTF-8; everything else can. */
export const isWellFormed = (text: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Hand-picked trouble: empty and blank, control characters, quotes, paths, markup, numbers as text, bad dates and emails, unicode. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '   ',
  '\t',
  '\n',
  '\r\n',
  '\u0000',
  'a\u0000b',
  '\u0007',
  '\u001b[31m',
  "'",
  '"',
  "a'b",
  'a"b',
  '`',
  '\\',
  'a\\b',
  "'; DROP TABLE x; --",
  "x' OR 'a'='a",
  '../',
  '../../etc/passwd',
  '..',
  '.',
  '/',
  '//evil.example',
  '%',
  '%00',
  '%2e%2e%2f',
  '?',
  '#',
  '&',
  '=',
  '<script>alert(1)</script>',
  '${7*7}',
  '{{7*7}}',
  'null',
  'NaN',
  'true',
  '[]',
  '{}',
  '[object Object]',
  '-1',
  '-0',
  '0',
  '1e309',
  'Infinity',
  '0x10',
  '1.234',
  '1,000',
  '$5',
  '5 dollars',
  '٣',
  '😀',
  'é',
  'Ω≈ç√∫',
  '\u202eevil',
  '\ufeff',
  '\u00a0',
  'ｆｕｌｌｗｉｄｔｈ',
  'Zalgơ̴̡',
  '中文名字',
  'UPPER-CASE',
  'Has Spaces',
  "O'Brien & Sons",
  '-starts-with-dash',
  '--looks-like-a-flag',
  'a@b',
  '@b.example',
  'a@',
  'a b@c.example',
  'a@b..example',
  'a@@b.example',
  'ü@b.example',
  'a@b.example.',
  '2026-13-01',
  '2026-02-30',
  '9/1/2026',
  'tomorrow',
  '20260901',
  '2026-9-1',
  '2026-09-01T25:00:00Z',
  '2026',
  'a'.repeat(65),
  'a'.repeat(300),
  'é'.repeat(300),
  `${'x'.repeat(2001)}`,
  `${'x'.repeat(4001)}`,
];

/** Any text: the hand-picked list, random ASCII, random graphemes and code points, and long strings. */
export const anyText: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 201, maxLength: 700 }) },
  )
  .filter(clean);

/** Text that can be sent over HTTP and written as UTF-8. */
export const anySendableText = anyText.filter(isWellFormed);

/** Object keys; never __proto__ or constructor, which the server refuses as a whole (prototype poisoning) before any field is read. */
const anyKey = fc
  .oneof(fc.constantFrom('name', 'reason', 'consent', 'toString', ''), fc.string({ maxLength: 8 }))
  .filter((key) => clean(key) && key !== '__proto__' && key !== 'constructor');

/** Any JSON value, with the hand-picked strings among its leaves. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 3, arbitrary: anySendableText },
  { weight: 1, arbitrary: fc.array(fc.oneof(anySendableText, fc.integer(), fc.constant(null)), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(anyKey, fc.oneof(anySendableText, fc.integer(), fc.boolean()), { maxKeys: 3 }) },
);

/** Values of `candidates` that `schema` refuses. */
export const refusedBy = <T>(schema: z.ZodType, candidates: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  candidates.filter((value) => !schema.safeParse(value).success);

/** Values of `candidates` that `isValid` says are not valid. */
export const invalidBy = <T>(isValid: (value: T) => boolean, candidates: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  candidates.filter((value) => !isValid(value));

/** Marks a field to delete, in a corruption. */
export const MISSING = Symbol('missing');
export type TPath = (string | number)[];

/** Every path into a plain JSON value: objects' keys and the first element of arrays, at every depth. */
export function pathsOf(value: unknown, prefix: TPath = []): TPath[] {
  if (Array.isArray(value)) return value.length ? [[...prefix, 0], ...pathsOf(value[0], [...prefix, 0])] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** A copy of `value` with the field at `path` set, or removed for MISSING. */
export function withPath(value: unknown, path: TPath, replacement: unknown): unknown {
  const [head, ...rest] = path as [string | number, ...TPath];
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as object) };
  const fields = copy as Record<string | number, unknown>;
  if (rest.length > 0) fields[head] = withPath(fields[head], rest, replacement);
  else if (replacement !== MISSING) fields[head] = replacement;
  else if (Array.isArray(copy)) copy.splice(Number(head), 1);
  else delete fields[head];
  return copy;
}

export const pathText = (path: TPath): string => path.map(String).join('.');

/** True when a problem reported for `reported` is about the field at `corrupted` (the same, inside it, or around it). */
export const sameField = (reported: string, corrupted: string): boolean =>
  reported === corrupted || reported.startsWith(`${corrupted}.`) || corrupted.startsWith(`${reported}.`);

export interface TCorruption {
  path: string;
  payload: unknown;
}

/**
 * A valid payload with one field made invalid: replaced by a value the schema refuses there, or left out when
 * required. The result is checked against the whole schema, so it is always refused.
 */
export function corruptOneField(schema: z.ZodType, valid: unknown, candidates: fc.Arbitrary<unknown> = anyJson): fc.Arbitrary<TCorruption> {
  if (!schema.safeParse(valid).success) throw new Error(`The valid payload is not valid: ${JSON.stringify(valid)}`);
  const paths = pathsOf(valid);
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.oneof({ weight: 1, arbitrary: fc.constant<unknown>(MISSING) }, { weight: 5, arbitrary: candidates }),
    )
    .map(([path, replacement]) => ({ path: pathText(path), payload: withPath(valid, path, replacement) }))
    .filter(({ payload }) => !schema.safeParse(payload).success);
}

/** A few unknown fields, as noise beside a real problem. */
export const extraFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 10 }).filter((key) => /^[a-z]/i.test(key) && clean(key)),
  anyJson,
  { maxKeys: 2 },
);

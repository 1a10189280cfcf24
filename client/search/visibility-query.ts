import { z } from 'zod';
import { searchWords } from '../../domain/search-words';

/**
 * A value typed into a filter: quotes are escaped, backslashes refused (the visibility parser has no escape for
 * them), and control characters refused (a NUL makes the SQL visibility store fail the query after retries).
 */
export const ZFilterTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((text) => !text.includes('\\'), 'must not contain a backslash')
  .refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must not contain control characters');

export const quote = (value: string): string => `'${value.replace(/'/g, "\\'")}'`;

/**
 * A partner's name, word by word (every word must match). Text attributes match whole words; each word is matched
 * against the folded words (CpoPartnerWords) or, for workflows started before those were stored, the name as
 * written. Only letters and digits reach the query: quotes or operators in a search box must not change it.
 */
export function partnerNameClauses(text: string): string[] {
  return searchWords(text)
    .slice(0, 8)
    .map((word) => `(CpoPartnerWords = ${quote(word)} OR CpoPartnerName = ${quote(word)})`);
}

export const inList = (values: readonly string[]): string => `(${values.map(quote).join(', ')})`;

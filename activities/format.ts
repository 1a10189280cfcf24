/** $1,500.00 */
export const formatAmount = (cents: number): string =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const formatInstant = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');

/** A date as entered ("2026-09-01"), or an instant in UTC. */
export const formatDateOrInstant = (value: string): string => (value.includes('T') ? formatInstant(new Date(value).toISOString()) : value);

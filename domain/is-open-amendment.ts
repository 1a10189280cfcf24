import type { TAmendment } from './schemas/contract';

/** An amendment still being drafted or signed: neither executed nor ended (declined, expired). */
export const isOpenAmendment = (amendment: Pick<TAmendment, 'status'>): boolean =>
  !['executed', 'declined', 'expired'].includes(amendment.status);

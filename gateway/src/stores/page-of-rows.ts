import { encodeCursor } from './request-cursor.ts';

/**
 * One page from rows read newest first with `LIMIT limit + 1`: the extra row, if it came, only
 * says another page follows, and the cursor points past the page's last row.
 */
export function pageOfRows<Row extends { time: number; id: string }>(
  rows: readonly Row[],
  limit: number,
): { rows: Row[]; nextCursor?: string } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, ...(rows.length > limit && last ? { nextCursor: encodeCursor(last) } : {}) };
}

import type { RequestRowFilter } from '../stores/query-request-rows.ts';

export const filterFields = [
  'run',
  'provider',
  'model',
  'template',
  'cache',
  'status',
  'since',
  'until',
] as const;
export type FilterField = (typeof filterFields)[number];

export interface ListQuery {
  /** The form's values as typed, echoed back into the form and into paging links. */
  values: Partial<Record<FilterField, string>>;
  filter: RequestRowFilter;
  limit: number;
  cursor?: string;
  /** Inputs that could not be read, shown above the list rather than silently dropped. */
  problems: string[];
}

const limits = [25, 50, 100, 200];

/**
 * Reads the request list's query string. Times come from `datetime-local` inputs, which carry no
 * zone; they are read as UTC, the zone every time on the page is shown in.
 *
 * @example
 * readListQuery({ run: 'ppo-7', since: '2026-01-05T10:00' }).filter // { run: 'ppo-7', since: 1767607200000 }
 */
export function readListQuery(query: Record<string, string>): ListQuery {
  const values: ListQuery['values'] = {};
  for (const field of filterFields) {
    const value = query[field]?.trim();
    if (value) values[field] = value;
  }
  const problems: string[] = [];
  const filter: RequestRowFilter = {};
  for (const field of ['run', 'provider', 'model', 'template', 'cache'] as const) {
    if (values[field] !== undefined) filter[field] = values[field];
  }
  if (values.status === 'ok' || values.status === 'error') filter.status = values.status;
  else if (values.status !== undefined)
    problems.push(`status must be "ok" or "error", not "${values.status}"`);
  for (const field of ['since', 'until'] as const) {
    const value = values[field];
    if (value === undefined) continue;
    const ms = /^\d+$/.test(value)
      ? Number(value)
      : Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`);
    if (Number.isFinite(ms)) filter[field] = ms;
    else problems.push(`${field} is not a time: "${value}"`);
  }
  const limit = Number(query.limit);
  return {
    values,
    filter,
    limit: limits.includes(limit) ? limit : 50,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    problems,
  };
}

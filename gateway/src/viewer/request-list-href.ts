import type { ListQuery } from './read-list-query.ts';

/**
 * A link to the request list with the same filters, optionally at a cursor; paging links keep
 * the filters so "next" never silently widens the list.
 *
 * @example
 * requestListHref({ values: { run: 'ppo-7' }, limit: 50 }, 'MTc2...') // '/ui?run=ppo-7&cursor=MTc2...'
 */
export function requestListHref(
  query: Pick<ListQuery, 'values' | 'limit'>,
  cursor?: string,
): string {
  const parameters = new URLSearchParams();
  for (const [field, value] of Object.entries(query.values))
    if (value !== undefined) parameters.set(field, value);
  if (query.limit !== 50) parameters.set('limit', String(query.limit));
  if (cursor !== undefined) parameters.set('cursor', cursor);
  const search = parameters.toString();
  return search ? `/ui?${search}` : '/ui';
}

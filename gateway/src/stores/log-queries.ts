/**
 * @module
 * The viewer's read-only questions to the audit log (request pages, filter menus, run totals),
 * asked of whichever backend holds it.
 */
import type { RequestFacets } from './list-request-facets.ts';
import { listRequestFacets } from './list-request-facets.ts';
import type { SqliteDatabase } from './open-database.ts';
import type { RequestRowFilter, RequestRowPage } from './query-request-rows.ts';
import { queryRequestRows } from './query-request-rows.ts';
import type { RunSummary, TokenPricing } from './summarize-runs.ts';
import { summarizeRuns } from './summarize-runs.ts';

export interface LogQueries {
  requestRows(filter: RequestRowFilter, limit: number, cursor?: string): Promise<RequestRowPage>;
  facets(): Promise<RequestFacets>;
  summarizeRuns(options: { pricing: ReadonlyMap<string, TokenPricing>; run?: string }): Promise<RunSummary[]>;
}

/** The queries on a SQLite file (synchronous underneath: better-sqlite3 reads on the caller's thread). */
export function createSqliteLogQueries(database: SqliteDatabase): LogQueries {
  return {
    requestRows: async (filter, limit, cursor) => queryRequestRows(database, filter, limit, cursor),
    facets: async () => listRequestFacets(database),
    summarizeRuns: async (options) => summarizeRuns(database, options),
  };
}

import type { SqliteDatabase } from './open-database.ts';

/** The values seen in the audit log, for the viewer's filter menus. */
export interface RequestFacets {
  runs: string[];
  providers: string[];
  models: string[];
  templates: string[];
}

/**
 * Distinct runs (most recent first), providers, models and templates in the `requests` table.
 * Capped, because a menu of thousands of runs helps nobody and the scan should stay short.
 *
 * @example
 * const { runs } = listRequestFacets(database)
 */
export function listRequestFacets(database: SqliteDatabase, limit = 200): RequestFacets {
  const values = (sql: string): string[] =>
    database
      .prepare<[number], { value: string }>(sql)
      .all(limit)
      .map((row) => row.value);
  return {
    runs: values(
      'SELECT run AS value FROM requests WHERE run IS NOT NULL GROUP BY run ORDER BY MAX(time) DESC LIMIT ?',
    ),
    providers: values(
      'SELECT DISTINCT provider AS value FROM requests WHERE provider IS NOT NULL ORDER BY 1 LIMIT ?',
    ),
    models: values(
      'SELECT DISTINCT model AS value FROM requests WHERE model IS NOT NULL ORDER BY 1 LIMIT ?',
    ),
    templates: values(
      'SELECT DISTINCT template AS value FROM requests WHERE template IS NOT NULL ORDER BY 1 LIMIT ?',
    ),
  };
}

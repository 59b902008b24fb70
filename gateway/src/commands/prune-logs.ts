import type { SqliteDatabase } from '../stores/open-database.ts';
import { createSqliteAuditLog } from '../stores/sqlite-audit-log.ts';

export interface PruneLogsOptions {
  database: SqliteDatabase;
  /** Entries older than this many milliseconds before `now` are deleted, with their upstream calls. */
  olderThanMs: number;
  now: number;
}

/**
 * `teacher-gateway logs prune --older-than 30d`. The cache is left alone: its entries stay
 * replayable after the audit rows that produced them are gone.
 *
 * @example
 * const deleted = pruneLogs({ database, olderThanMs: 30 * 86_400_000, now: Date.now() })
 */
export function pruneLogs(options: PruneLogsOptions): { deleted: number; before: number } {
  const before = options.now - options.olderThanMs;
  return { deleted: createSqliteAuditLog(options.database).prune(before), before };
}

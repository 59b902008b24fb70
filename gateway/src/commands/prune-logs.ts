import type { AuditLog } from '../stores/audit-log.ts';

export interface PruneLogsOptions {
  auditLog: AuditLog;
  /** Entries older than this many milliseconds before `now` are deleted, with their upstream calls. */
  olderThanMs: number;
  now: number;
}

/**
 * `teacher-gateway logs prune --older-than 30d`. The cache is left alone: its entries stay
 * replayable after the audit rows that produced them are gone.
 *
 * @example
 * const deleted = await pruneLogs({ auditLog: storage.auditLog, olderThanMs: 30 * 86_400_000, now: Date.now() })
 */
export async function pruneLogs(options: PruneLogsOptions): Promise<{ deleted: number; before: number }> {
  const before = options.now - options.olderThanMs;
  return { deleted: await options.auditLog.prune(before), before };
}

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { AuditLog, LogFilter } from '../stores/audit-log.ts';

export interface ExportLogsOptions {
  auditLog: AuditLog;
  filter: LogFilter;
  /** Receives one JSON object per line, newest entry first (as `GET /v1/logs/export`). */
  output: Writable;
  /** Called every `progressEvery` rows with the count so far. */
  progress?: (rows: number) => void;
  progressEvery?: number;
}

/**
 * `teacher-gateway logs export`: the audit-log entries matching a filter as JSON Lines.
 * Writes respect backpressure, so a multi-gigabyte export keeps memory flat.
 *
 * @example
 * const rows = await exportLogs({ auditLog: storage.auditLog, filter: { run: 'doorkey-s1' }, output: process.stdout })
 */
export async function exportLogs(options: ExportLogsOptions): Promise<number> {
  const { output, progress } = options;
  const every = options.progressEvery ?? 10_000;
  const { auditLog } = options;
  let rows = 0;
  let chunk = '';
  for await (const entry of auditLog.iterate(options.filter)) {
    chunk += JSON.stringify(entry) + '\n';
    rows += 1;
    // Writing lines in chunks costs one stream write per few hundred rows instead of one per row.
    if (chunk.length >= 64 * 1024) {
      await write(output, chunk);
      chunk = '';
    }
    if (progress && rows % every === 0) progress(rows);
  }
  if (chunk.length > 0) await write(output, chunk);
  return rows;
}

async function write(output: Writable, text: string): Promise<void> {
  if (!output.write(text)) await once(output, 'drain');
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuration } from '@teacher-gateway/gateway/internal/commands/parse-duration';
import { pruneLogs } from '@teacher-gateway/gateway/internal/commands/prune-logs';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteAuditLog } from '@teacher-gateway/gateway/internal/stores/sqlite-audit-log';

describe('logs prune', () => {
  test('--older-than accepts seconds, minutes, hours and days', () => {
    assert.equal(parseDuration('45s'), 45_000);
    assert.equal(parseDuration('90m'), 5_400_000);
    assert.equal(parseDuration('12h'), 43_200_000);
    assert.equal(parseDuration('30d'), 2_592_000_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    for (const bad of ['30', 'd', '30y', '-1d', '', '30 days']) assert.equal(parseDuration(bad), undefined, bad);
  });

  test('deletes the entries older than the age and keeps the rest', async () => {
    const database = openDatabase(':memory:');
    const auditLog = createSqliteAuditLog(database);
    const now = Date.parse('2026-06-30T00:00:00Z');
    const day = 86_400_000;
    for (const age of [40, 31, 29, 1]) {
      await auditLog.record(
        { id: `age${age}`, time: now - age * day, latencyMs: 1, usage: { inputTokens: 0, outputTokens: 0, upstreamCalls: 0 }, status: 200 },
        [],
      );
    }
    const result = await pruneLogs({ auditLog, olderThanMs: parseDuration('30d') ?? 0, now });
    assert.equal(result.deleted, 2);
    assert.equal(result.before, now - 30 * day);
    assert.deepEqual((await auditLog.list({}, 10)).entries.map((entry) => entry.id), ['age1', 'age29']);
  });
});

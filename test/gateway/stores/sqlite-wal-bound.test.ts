import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteStorage } from '@teacher-gateway/gateway/internal/stores/sqlite-storage';

test('the WAL is bounded: a size limit on every restart, and emptied once writes stop', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'wal-bound-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'teacher.db');
  const database = openDatabase(path);
  t.after(() => database.close());
  assert.equal(database.pragma('journal_size_limit', { simple: true }), 32 * 1024 * 1024);
  const storage = createSqliteStorage(database, Date.now, { idleCheckpointMs: 100 });
  t.after(() => storage.close());
  const wal = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
  for (let batch = 0; batch < 20; batch += 1) {
    await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        storage.auditLog.record(
          { id: `w${batch}-${index}`, time: batch * 100 + index, latencyMs: 1, usage: { inputTokens: 0, outputTokens: 0, upstreamCalls: 0 }, status: 200, prompt: 'x'.repeat(1_000) },
          [],
        ),
      ),
    );
  }
  assert.ok(wal() > 1_000_000, `the burst grew the WAL (${wal()} bytes)`);
  const until = Date.now() + 5_000;
  while (wal() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(wal(), 0, 'an idle gateway truncates its WAL');
  assert.equal((await storage.auditLog.list({}, 5)).entries.length, 5, 'and keeps every row');
});

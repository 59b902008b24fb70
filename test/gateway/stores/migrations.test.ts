import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { migrations } from '@teacher-gateway/gateway/internal/stores/migrations';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteAuditLog } from '@teacher-gateway/gateway/internal/stores/sqlite-audit-log';
import { createSqliteCacheStore } from '@teacher-gateway/gateway/internal/stores/sqlite-cache-store';
import { makeCacheEntry } from '../../helpers/make-cache-entry.ts';

test('a version-2 file (WITHOUT ROWID tables) migrates to version 3 and keeps every row', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'migrations-'));
  const path = join(directory, 'teacher.db');
  try {
    // A file as the first release left it: migrations 1 and 2 only.
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrations.slice(0, 2).forEach((sql, index) => {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    });
    const entry = makeCacheEntry('kept', { run: 'r1' });
    await createSqliteCacheStore(old).put(entry);
    // Rows as that release wrote them (today's log writes columns a version-2 file lacks).
    const insert = old.prepare(
      `INSERT INTO requests (id, time, run, tags, cache, cache_key, prompt, latency_ms, input_tokens, output_tokens, upstream_calls, status, result)
       VALUES (?, ?, 'r1', '{"run":"r1"}', ?, ?, ?, ?, 1, 1, ?, 200, ?)`,
    );
    insert.run('sug_a', 10, 'miss', entry.key, 'the prompt', 1, 1, '{"ok":true}');
    insert.run('sug_b', 20, 'hit', entry.key, null, 0.1, 0, null);
    old
      .prepare(`INSERT INTO upstream_calls (request_id, attempt, provider, model, started_at, duration_ms, status) VALUES ('sug_a', 1, 'p', 'm', 10, 1, 200)`)
      .run();
    old.close();

    const database = openDatabase(path);
    assert.equal(database.pragma('user_version', { simple: true }), migrations.length);
    const schema = database.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN ('requests', 'cache_entries')").all() as { name: string; sql: string }[];
    assert.equal(schema.length, 2);
    for (const table of schema) assert.doesNotMatch(table.sql, /WITHOUT ROWID/i, `${table.name} is a rowid table`);
    const indexes = (database.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[]).map((row) => row.name).sort();
    assert.deepEqual(indexes, ['cache_entries_run', 'cache_entries_template', 'requests_prompt_by_cache_key', 'requests_provider', 'requests_run', 'requests_time', 'upstream_calls_request']);
    assert.deepEqual(await createSqliteCacheStore(database).get(entry.key), [entry]);
    const counted = database.prepare('SELECT count(*) AS entries, count(DISTINCT key) AS keys, sum(length(answer) + length(components)) AS bytes FROM cache_entries').get();
    assert.deepEqual(await createSqliteCacheStore(database).stats(), counted, 'the totals row starts from the rows already there');
    const migrated = createSqliteAuditLog(database);
    assert.deepEqual((await migrated.list({ run: 'r1' }, 10)).entries.map((row) => row.id), ['sug_b', 'sug_a']);
    const hit = await migrated.get('sug_b');
    assert.equal(hit?.prompt, 'the prompt', 'a hit still finds the prompt of the miss that filled its key');
    assert.equal((await migrated.get('sug_a'))?.upstreamCalls.length, 1);
    assert.equal(database.pragma('integrity_check', { simple: true }), 'ok');
    database.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { startCheckpointWorker } from '@teacher-gateway/gateway/internal/stores/start-checkpoint-worker';

test('the checkpoint thread copies committed WAL frames into the file while the connection only appends', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  try {
    const path = join(directory, 'teacher.db');
    const database = openDatabase(path);
    database.exec('CREATE TABLE blobs (value BLOB NOT NULL)');
    const fileBefore = statSync(path).size;
    const checkpoints = startCheckpointWorker(database, { intervalMs: 10, onError: (error) => assert.fail(String(error)) });
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 0, 'the connection no longer checkpoints');
    const insert = database.prepare('INSERT INTO blobs (value) VALUES (?)');
    // 8 MB in 64 commits: over 2,000 WAL pages, twice what SQLite would checkpoint inline.
    for (let commit = 0; commit < 64; commit += 1) {
      database.transaction(() => {
        for (let row = 0; row < 32; row += 1) insert.run(Buffer.alloc(4096, commit));
      })();
    }
    for (let wait = 0; wait < 200 && statSync(path).size < fileBefore + 8_000_000; wait += 1) await delay(10);
    assert.ok(statSync(path).size >= fileBefore + 8_000_000, `the database file holds the rows (${statSync(path).size} bytes)`);
    await checkpoints.stop();
    assert.equal(database.pragma('wal_autocheckpoint', { simple: true }), 1000, 'stopping hands checkpoints back');
    assert.equal((database.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n, 64 * 32);
    database.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('an in-memory database needs no checkpoint thread', async () => {
  const database = openDatabase(':memory:');
  const checkpoints = startCheckpointWorker(database, { intervalMs: 10 });
  await checkpoints.stop();
  database.close();
});

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { exportCache } from '@teacher-gateway/gateway/internal/commands/export-cache';
import { importCache } from '@teacher-gateway/gateway/internal/commands/import-cache';
import { showCacheStats } from '@teacher-gateway/gateway/internal/commands/show-cache-stats';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { openReadOnlyDatabase } from '@teacher-gateway/gateway/internal/stores/open-read-only-database';
import { sealDatabaseFile } from '@teacher-gateway/gateway/internal/stores/seal-database-file';
import { createSqliteStorageRows as rows } from '@teacher-gateway/gateway/internal/stores/sqlite-storage-rows';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';

const directory = mkdtempSync(join(tmpdir(), 'cache-export-'));
after(() => rmSync(directory, { recursive: true, force: true }));

async function recordRuns(path: string) {
  const database = openDatabase(path);
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, database });
  const sent: Record<string, unknown>[] = [];
  for (const [run, count] of [['run-a', 5], ['run-b', 3]] as const) {
    for (let index = 0; index < count; index += 1) {
      const request = suggestionRequest({ observation: { image: distinctPng(sent.length), text: `${run} step ${index}` }, tags: { run, step: index } });
      const response = await gateway.post('/v1/suggestions', request);
      assert.equal(response.status, 200);
      sent.push(request);
    }
  }
  await gateway.flush();
  return { database, gateway, sent };
}

describe('cache export and import', () => {
  test('export writes one run\'s entries and their images into a self-contained gateway database', async () => {
    const { database } = await recordRuns(join(directory, 'source1.db'));
    const out = join(directory, 'run-a.db');
    const target = openDatabase(out);
    const progress: number[] = [];
    const result = await exportCache({ source: rows(database), target: rows(target), run: 'run-a', progress: (count) => progress.push(count), progressEvery: 2 });
    sealDatabaseFile(target);
    target.close();
    assert.deepEqual(result, { entries: 5, images: 5, requests: 5, missingImages: 0 });
    assert.deepEqual(progress, [2, 4]);
    assert.ok(!existsSync(`${out}-wal`), 'no -wal file beside the export');
    const exported = openReadOnlyDatabase(out);
    const runs = exported.prepare('SELECT DISTINCT run FROM cache_entries').pluck().all();
    assert.deepEqual(runs, ['run-a']);
    const missing = exported
      .prepare('SELECT count(*) FROM cache_entries WHERE image_sha256 NOT IN (SELECT sha256 FROM images)')
      .pluck()
      .get();
    assert.equal(missing, 0, 'every referenced image is inside');
    // The audit rows that leave are the requests that filled the entries, with their upstream calls.
    const requestRows = exported.prepare('SELECT id, run, cache, prompt FROM requests').all() as { id: string; run: string; cache: string; prompt: string | null }[];
    assert.deepEqual(
      new Set(requestRows.map((row) => row.id)),
      new Set(exported.prepare('SELECT request_id FROM cache_entries').pluck().all()),
    );
    assert.ok(requestRows.every((row) => row.run === 'run-a' && row.cache === 'miss' && row.prompt !== null));
    assert.equal(exported.prepare('SELECT count(*) FROM upstream_calls').pluck().get(), 5);
    exported.close();
    database.close();
  });

  test('import into another database adds everything once, and a second import changes nothing', async () => {
    const { database } = await recordRuns(join(directory, 'source2.db'));
    const out = join(directory, 'all.db');
    const target = openDatabase(out);
    await exportCache({ source: rows(database), target: rows(target) });
    target.close();

    const other = openDatabase(join(directory, 'other.db'));
    const source = openReadOnlyDatabase(out);
    assert.deepEqual(await importCache({ source: rows(source), target: rows(other) }), {
      entries: { added: 8, present: 0 },
      images: { added: 8, present: 0 },
      requests: { added: 8, present: 0 },
    });
    assert.deepEqual(await importCache({ source: rows(source), target: rows(other) }), {
      entries: { added: 0, present: 8 },
      images: { added: 0, present: 8 },
      requests: { added: 0, present: 8 },
    });
    source.close();
    const copy = (db: typeof database) =>
      db.prepare('SELECT * FROM cache_entries ORDER BY key, sample').all();
    assert.deepEqual(copy(other), copy(database), 'entries arrive byte for byte');
    const calls = (db: typeof database) =>
      db.prepare('SELECT request_id, attempt, url, request_body, status, response_body FROM upstream_calls ORDER BY request_id, attempt').all();
    assert.deepEqual(calls(other), calls(database), 'each upstream call arrives once, however often the file is imported');

    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const stats = await showCacheStats({ rows: rows(other), output });
    assert.equal(stats.entries, 8);
    assert.equal(stats.images.count, 8);
    assert.deepEqual(stats.byRun, [{ run: 'run-a', entries: 5 }, { run: 'run-b', entries: 3 }]);
    assert.deepEqual(stats.byProvider, [{ provider: 'fake', model: 'fake-model', entries: 8 }]);
    assert.deepEqual(JSON.parse(printed), stats);
    other.close();
    database.close();
  });

  test('import refuses files that are not gateway databases, and rows that do not fit the schema', async () => {
    const text = join(directory, 'not-a-db.db');
    writeFileSync(text, 'hello');
    assert.throws(() => openReadOnlyDatabase(text), /not a database|file is not/i);
    const blank = join(directory, 'blank.db');
    const empty = openDatabase(blank);
    empty.pragma('user_version = 0');
    empty.close();
    assert.throws(() => openReadOnlyDatabase(blank), /not a teacher-gateway database/);
    const future = join(directory, 'future.db');
    const newer = openDatabase(future);
    newer.pragma('user_version = 999');
    newer.close();
    assert.throws(() => openReadOnlyDatabase(future), /newer than this gateway/);

    const bad = join(directory, 'bad.db');
    const tampered = openDatabase(bad);
    tampered
      .prepare(
        `INSERT INTO cache_entries (key, sample, answer, provider, model, template_id, template_version, template_sha256,
           components, image_sha256, request_id, run, created_at) VALUES ('short', 0, '{', 'p', 'm', 't', 1, 's', '{}', NULL, 'r', NULL, 0)`,
      )
      .run();
    tampered.close();
    const target = openDatabase(':memory:');
    await assert.rejects(importCache({ source: rows(openReadOnlyDatabase(bad)), target: rows(target) }), /invalid cache entry: key/);
    assert.equal(target.prepare('SELECT count(*) FROM cache_entries').pluck().get(), 0);

    const badLog = join(directory, 'bad-log.db');
    const tamperedLog = openDatabase(badLog);
    tamperedLog.prepare(`INSERT INTO requests (id, time, latency_ms, status, result) VALUES ('r', 0, 1, 200, '{not json')`).run();
    tamperedLog.close();
    await assert.rejects(importCache({ source: rows(openReadOnlyDatabase(badLog)), target: rows(target) }), /invalid logged request: result/);
    assert.equal(target.prepare('SELECT count(*) FROM requests').pluck().get(), 0);
  });
});

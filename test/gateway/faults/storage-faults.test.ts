import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ErrorBodySchema } from '@teacher-gateway/client';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { SqliteDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';
import type { TestGateway } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';

function fileGateway(t: { after: (fn: () => void) => void; diagnostic?: (message: string) => void }): { gateway: TestGateway; database: SqliteDatabase; path: string } {
  const directory = mkdtempSync(join(tmpdir(), 'storage-faults-'));
  const path = join(directory, 'teacher.db');
  const database = openDatabase(path);
  t.after(() => {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return { gateway: createTestGateway({ providers: { fake: createFakeProvider() }, database }), database, path };
}

async function expectStorageUnavailable(response: Response): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, 503, text);
  const body = ErrorBodySchema.parse(JSON.parse(text));
  assert.equal(body.error.code, 'storage_unavailable');
  assert.match(body.error.message, /could not write to its database/);
  assert.ok(Number(response.headers.get('retry-after')) > 0, 'retry-after is set');
}

function integrity(path: string): string {
  const reader = new Database(path, { readonly: true });
  try {
    return reader.pragma('integrity_check', { simple: true }) as string;
  } finally {
    reader.close();
  }
}

const request = (n: number) => suggestionRequest({ observation: { image: distinctPng(n), text: `step ${n}` }, tags: { run: 'storage', step: n } });

describe('storage faults', () => {
  test('a read-only database answers a clear 503, reads keep working, and writes resume when it clears', async (t) => {
    const { gateway, database, path } = fileGateway(t);
    const before = await gateway.post('/v1/suggestions', request(1));
    assert.equal(before.status, 200);
    const answered = (await before.json()) as { id: string };

    // What SQLite answers when the file cannot be written: SQLITE_READONLY on every write.
    database.pragma('query_only = ON');
    await expectStorageUnavailable(await gateway.post('/v1/suggestions', request(2)));
    // A cache hit too: the answer exists, but the audit row it owes cannot be written.
    await expectStorageUnavailable(await gateway.post('/v1/suggestions', request(1)));
    const batch = (await (await gateway.post('/v1/suggestions:batch', { requests: [request(3), request(4)] })).json()) as {
      results: { error?: { code: string } }[];
    };
    assert.deepEqual(batch.results.map((result) => result.error?.code), ['storage_unavailable', 'storage_unavailable']);
    const upload = await gateway.app.request('/v1/images', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image: distinctPng(99) }) });
    await expectStorageUnavailable(upload);
    // Reads do not need the disk to take writes.
    assert.equal((await gateway.get(`/v1/logs/${answered.id}`)).status, 200);
    assert.equal((await gateway.get('/v1/cache/stats')).status, 200);
    assert.equal((await gateway.get('/v1/logs?run=storage')).status, 200);

    database.pragma('query_only = OFF');
    // Nothing from the refused requests was cached.
    assert.equal(((await (await gateway.post('/v1/cache/explain', request(2))).json()) as { stored: number }).stored, 0);
    const after = await gateway.post('/v1/suggestions', request(2));
    const afterText = await after.text();
    assert.equal(after.status, 200, `recovers without a restart: ${afterText}`);
    assert.equal((JSON.parse(afterText) as { cache: string }).cache, 'miss');
    assert.equal((await gateway.post('/v1/suggestions', request(1))).status, 200);
    assert.equal(integrity(path), 'ok');
  });

  test('a full disk answers a clear 503, keeps every answered request, and recovers when space returns', async (t) => {
    const { gateway, database, path } = fileGateway(t);
    assert.equal((await gateway.post('/v1/suggestions', request(0))).status, 200);
    // The file may grow by 30 pages and no further: SQLITE_FULL once they are used.
    const pages = database.pragma('page_count', { simple: true }) as number;
    database.pragma(`max_page_count = ${pages + 30}`);
    const answered: string[] = [];
    let refused: Response | undefined;
    for (let n = 1; n <= 500 && !refused; n += 1) {
      const response = await gateway.post('/v1/suggestions', request(n));
      if (response.status === 200) answered.push(((await response.json()) as { id: string }).id);
      else refused = response;
    }
    assert.ok(refused, 'the disk filled up within 500 requests');
    t.diagnostic(`${answered.length} requests answered before SQLITE_FULL`);
    await expectStorageUnavailable(refused);
    assert.equal(integrity(path), 'ok');

    database.pragma(`max_page_count = ${pages * 1000}`);
    const after = await gateway.post('/v1/suggestions', request(10_000));
    assert.equal(after.status, 200, 'recovers without a restart');
    for (const id of answered) assert.equal((await gateway.get(`/v1/logs/${id}`)).status, 200, `answered request ${id} is in the audit log`);
    assert.equal(integrity(path), 'ok');
  });

  test('a database file opened read-only refuses writes with 503 and still serves what it holds', async (t) => {
    const { gateway: writer, database, path } = fileGateway(t);
    const seeded = (await (await writer.post('/v1/suggestions', suggestionRequest())).json()) as { id: string };
    await writer.flush();
    database.pragma('wal_checkpoint(TRUNCATE)');
    const readOnly = new Database(path, { readonly: true });
    t.after(() => readOnly.close());
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, database: readOnly });
    await expectStorageUnavailable(await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: tinyPng, text: 'new' } })));
    assert.equal((await gateway.get(`/v1/logs/${seeded.id}`)).status, 200);
    assert.equal(integrity(path), 'ok');
  });
});

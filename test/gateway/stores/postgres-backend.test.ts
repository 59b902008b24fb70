import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { exportCache } from '@teacher-gateway/gateway/internal/commands/export-cache';
import { importCache } from '@teacher-gateway/gateway/internal/commands/import-cache';
import { showCacheStats } from '@teacher-gateway/gateway/internal/commands/show-cache-stats';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { openPostgresStorage } from '@teacher-gateway/gateway/internal/stores/open-postgres-storage';
import { openReadOnlyDatabase } from '@teacher-gateway/gateway/internal/stores/open-read-only-database';
import { createSqliteStorageRows } from '@teacher-gateway/gateway/internal/stores/sqlite-storage-rows';
import { PassThrough } from 'node:stream';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { postgresTestDatabase } from '../../helpers/postgres-test-database.ts';
import { createSqliteLogQueries } from '@teacher-gateway/gateway/internal/stores/log-queries';
import { createSqliteAuditLog } from '@teacher-gateway/gateway/internal/stores/sqlite-audit-log';
import { seedRecordedTraffic } from '../../helpers/seed-recorded-traffic.ts';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const database = await postgresTestDatabase();

if ('skip' in database) {
  describe('PostgreSQL backend', () => test('skipped', { skip: database.skip }, () => undefined));
} else {
  const directory = mkdtempSync(join(tmpdir(), 'pg-backend-'));
  after(async () => {
    rmSync(directory, { recursive: true, force: true });
    await database.dropSchemas();
  });

  describe('PostgreSQL backend', () => {
    test('cache export/import moves a run SQLite → PostgreSQL → SQLite, byte for byte and once', async () => {
      const laptop = openDatabase(join(directory, 'laptop.db'));
      const recorder = createTestGateway({ providers: { fake: createFakeProvider() }, database: laptop });
      for (const [run, count] of [['run-a', 5], ['run-b', 3]] as const) {
        for (let step = 0; step < count; step += 1) {
          const request = suggestionRequest({ observation: { image: distinctPng(run.length * 100 + step + (run === 'run-b' ? 50 : 0)), text: `${run} ${step}` }, tags: { run, step } });
          assert.equal((await recorder.post('/v1/suggestions', request)).status, 200);
        }
      }
      await recorder.flush();
      const shared = await openPostgresStorage(await database.schemaUrl());
      try {
        const pushed = await importCache({ source: createSqliteStorageRows(laptop), target: shared.rows });
        assert.deepEqual(pushed, { entries: { added: 8, present: 0 }, images: { added: 8, present: 0 }, requests: { added: 8, present: 0 } });
        const again = await importCache({ source: createSqliteStorageRows(laptop), target: shared.rows });
        assert.deepEqual(again, { entries: { added: 0, present: 8 }, images: { added: 0, present: 8 }, requests: { added: 0, present: 8 } });

        const output = new PassThrough();
        const stats = await showCacheStats({ rows: shared.rows, output });
        assert.equal(stats.entries, 8);
        assert.equal(stats.images.count, 8);
        assert.deepEqual(stats.byRun, [{ run: 'run-a', entries: 5 }, { run: 'run-b', entries: 3 }]);

        // Pulled back for offline replay: a new file with one run.
        const file = join(directory, 'pulled.db');
        const target = openDatabase(file);
        const pulled = await exportCache({ source: shared.rows, target: createSqliteStorageRows(target), run: 'run-a' });
        target.close();
        assert.deepEqual(pulled, { entries: 5, images: 5, requests: 5, missingImages: 0 });
        const copy = openReadOnlyDatabase(file);
        const rows = (db: typeof laptop, where = '') => db.prepare(`SELECT * FROM cache_entries ${where} ORDER BY key, sample`).all();
        assert.deepEqual(rows(copy), rows(laptop, "WHERE run = 'run-a'"), 'entries come back byte for byte');
        const calls = (db: typeof laptop) =>
          db.prepare("SELECT request_id, attempt, url, request_body, status, response_body FROM upstream_calls WHERE request_id IN (SELECT request_id FROM cache_entries WHERE run = 'run-a') ORDER BY request_id, attempt").all();
        assert.deepEqual(calls(copy), calls(laptop), 'each upstream call once, however often the file was pushed');
        const images = (db: typeof laptop) => db.prepare('SELECT sha256, media_type, bytes FROM images WHERE sha256 IN (SELECT image_sha256 FROM cache_entries WHERE run = ?) ORDER BY sha256').all('run-a');
        assert.deepEqual(images(copy), images(laptop));
        copy.close();
      } finally {
        await shared.close();
        laptop.close();
      }
    });

    test('a gateway on PostgreSQL: miss then hit, and /v1/logs, /ui, /metrics read the shared log', async () => {
      const storage = await openPostgresStorage(await database.schemaUrl());
      try {
        const gateway = createTestGateway({ providers: { fake: createFakeProvider() }, storage });
        const request = suggestionRequest({ observation: { image: distinctPng(7), text: 'pg' }, tags: { run: 'pg-run', plannerAction: 2 } });
        const miss = (await (await gateway.post('/v1/suggestions', request)).json()) as { id: string; cache: string };
        const hit = (await (await gateway.post('/v1/suggestions', request)).json()) as { id: string; cache: string };
        assert.deepEqual([miss.cache, hit.cache], ['miss', 'hit']);
        const logs = (await (await gateway.get('/v1/logs?run=pg-run')).json()) as { entries: { id: string }[] };
        assert.deepEqual(logs.entries.map((entry) => entry.id), [hit.id, miss.id]);
        const detail = (await (await gateway.get(`/v1/logs/${hit.id}`)).json()) as { prompt?: string };
        assert.ok(detail.prompt, 'a hit shows the prompt of the miss that filled its key');
        const ui = await gateway.get('/ui?run=pg-run');
        assert.equal(ui.status, 200);
        const page = await ui.text();
        assert.ok(page.includes(hit.id) && page.includes(miss.id));
        assert.equal((await gateway.get('/ui/runs')).status, 200);
        assert.equal((await gateway.get(`/ui/requests/${miss.id}`)).status, 200);
        const runs = await storage.logQueries.summarizeRuns({ pricing: new Map() });
        assert.deepEqual(runs.map((run) => [run.run, run.cache.hit, run.cache.miss, run.agreement.compared]), [['pg-run', 1, 1, 2]]);
        const metrics = await (await gateway.get('/metrics')).text();
        assert.match(metrics, /teacher_gateway_cache_entries 1/);
        const exported = await (await gateway.get('/v1/logs/export?run=pg-run')).text();
        assert.equal(exported.trim().split('\n').length, 2);

        // PostgreSQL text cannot hold U+0000: a prompt with one is stored, and so is the rest of its commit.
        const [withNul, beside] = await Promise.all([
          gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: distinctPng(8), text: 'nul \u0000 here' }, tags: { run: 'nul-run', note: 'a\u0000b' } })),
          gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: distinctPng(9), text: 'beside it' } })),
        ]);
        assert.deepEqual([withNul.status, beside.status], [200, 200]);
        const nulEntry = (await (await gateway.get(`/v1/logs/${((await withNul.json()) as { id: string }).id}`)).json()) as { prompt: string };
        assert.match(nulEntry.prompt, /nul \uFFFD here/);
        assert.equal((await gateway.get('/ui?run=nul-run')).status, 200, 'the viewer reads a tag holding \\u0000');
        assert.equal((await storage.logQueries.summarizeRuns({ pricing: new Map(), run: 'nul-run' }))[0]?.requests, 1);
      } finally {
        await storage.close();
      }
    });

    test('the viewer and log queries give the same answers on both backends for the same rows', async () => {
      const { gateway, ids } = await seedRecordedTraffic();
      const storage = await openPostgresStorage(await database.schemaUrl());
      try {
        await importCache({ source: createSqliteStorageRows(gateway.database), target: storage.rows });
        const sqlite = { queries: createSqliteLogQueries(gateway.database), log: createSqliteAuditLog(gateway.database) };
        const postgres = { queries: storage.logQueries, log: storage.auditLog };
        const pricing = new Map([['fake', { inputPerMillion: 150, outputPerMillion: 600 }]]);
        for (const filter of [{}, { run: 'ppo-a' }, { status: 'error' as const }, { provider: 'other' }, { cache: 'hit' }]) {
          assert.deepEqual(await postgres.queries.requestRows(filter, 50), await sqlite.queries.requestRows(filter, 50), JSON.stringify(filter));
          assert.deepEqual(await postgres.log.list(filter, 50), await sqlite.log.list(filter, 50), JSON.stringify(filter));
        }
        const page = await postgres.queries.requestRows({}, 2);
        assert.ok(page.nextCursor);
        assert.deepEqual(await postgres.queries.requestRows({}, 2, page.nextCursor), await sqlite.queries.requestRows({}, 2, page.nextCursor));
        assert.deepEqual(await postgres.queries.facets(), await sqlite.queries.facets());
        assert.deepEqual(await postgres.queries.summarizeRuns({ pricing }), await sqlite.queries.summarizeRuns({ pricing }));
        assert.deepEqual(await postgres.queries.summarizeRuns({ pricing, run: 'ppo-a' }), await sqlite.queries.summarizeRuns({ pricing, run: 'ppo-a' }));
        for (const id of Object.values(ids)) assert.deepEqual(await postgres.log.get(id), await sqlite.log.get(id), id);
        const [summary] = await postgres.queries.summarizeRuns({ pricing, run: 'ppo-a' });
        assert.equal(summary?.agreement.compared, 2, 'the hit is compared through the response it served');
      } finally {
        await storage.close();
      }
    });

    test('two replicas on one database: identical concurrent misses cost one upstream call, and a miss on one is a hit on the other', async () => {
      const url = await database.schemaUrl();
      const [first, second] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
      try {
        // One provider behind both replicas, slow enough for every request to arrive mid-call.
        const provider = createFakeProvider({ delayMs: 150 });
        const replicas = [first, second].map((storage) => createTestGateway({ providers: { fake: provider }, storage }));
        const request = suggestionRequest({ observation: { image: distinctPng(11), text: 'burst' } });
        const responses = await Promise.all(
          Array.from({ length: 40 }, async (_, index) => {
            const response = await (replicas[index % 2] as (typeof replicas)[0]).post('/v1/suggestions', request);
            return (await response.json()) as { cache: string; probs: number[] };
          }),
        );
        assert.equal(provider.calls.length, 1, 'one upstream call for 40 requests over two replicas');
        assert.equal(responses.filter((response) => response.cache === 'miss').length, 1);
        assert.ok(responses.every((response) => JSON.stringify(response.probs) === JSON.stringify(responses[0]?.probs)));

        const other = suggestionRequest({ observation: { image: distinctPng(12), text: 'sequential' } });
        const onFirst = (await (await replicas[0]!.post('/v1/suggestions', other)).json()) as { cache: string };
        const onSecond = (await (await replicas[1]!.post('/v1/suggestions', other)).json()) as { cache: string };
        assert.deepEqual([onFirst.cache, onSecond.cache], ['miss', 'hit']);
        assert.equal(provider.calls.length, 2);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    test('two replicas on one database: identical concurrent drop-in misses cost one upstream call, and a miss on one is a hit on the other', async () => {
      const url = await database.schemaUrl();
      const [first, second] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
      // Slow enough for every request to arrive while the one call is out.
      const standIn = await startOpenAIStandIn({ latencyMs: 150 });
      try {
        standIn.respondWith(() => ({ text: 'A' }));
        const yaml = `storage: { path: ":memory:" }
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-a, baseURL: "${standIn.url}", maxRetries: 0 }
`;
        const { config } = loadConfig(yaml, {});
        const providers = Object.fromEntries(config.providers.map((provider) => [provider.id, createProvider({ config: provider })]));
        const replicas = [first, second].map((storage) => createTestGateway({ yaml, providers, storage }));
        const chat = (content: string) => ({ model: 'openai-mini', temperature: 0, messages: [{ role: 'user', content }] });
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, async (_, index) => {
            const response = await (replicas[index % 2] as (typeof replicas)[0]).post('/v1/chat/completions', chat('burst'));
            const body = (await response.json()) as { choices: { message: { content: string } }[] };
            return { status: response.status, cache: response.headers.get('x-teacher-cache'), content: body.choices[0]?.message.content };
          }),
        );
        assert.equal(standIn.calls.length, 1, 'one upstream call for 20 requests over two replicas');
        assert.ok(outcomes.every((outcome) => outcome.status === 200 && outcome.content === 'A'));
        assert.equal(outcomes.filter((outcome) => outcome.cache === 'miss').length, 1);

        const onFirst = await replicas[0]!.post('/v1/chat/completions', chat('sequential'));
        const onSecond = await replicas[1]!.post('/v1/chat/completions', chat('sequential'));
        assert.deepEqual([onFirst.headers.get('x-teacher-cache'), onSecond.headers.get('x-teacher-cache')], ['miss', 'hit']);
        assert.equal(standIn.calls.length, 2);
      } finally {
        await standIn.close();
        await Promise.all([first.close(), second.close()]);
      }
    });
  });
}

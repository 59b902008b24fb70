import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogPageSchema } from '@teacher-gateway/client';
import { createRequestPacker } from '@teacher-gateway/gateway/internal/batching/request-packer';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import {
  createTestGateway,
  minigridActions,
  suggestionRequest,
} from '../../helpers/create-test-gateway.ts';

test('a refused request logs only the tags that pass validation', async () => {
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
  const response = await gateway.post('/v1/suggestions', {
    template: 'minigrid-text',
    observation: { text: 'no actions' },
    tags: { run: 'hostile', huge: 'x'.repeat(5000), nested: { a: 1 }, step: 3 },
  });
  assert.equal(response.status, 400);
  const page = LogPageSchema.parse(await (await gateway.get('/v1/logs?limit=10')).json());
  assert.equal(page.entries.length, 1);
  assert.deepEqual(page.entries[0]?.tags, { run: 'hostile', step: 3 });
  assert.equal(page.entries[0]?.status, 400);

  const none = await gateway.post('/v1/suggestions', {
    template: 7,
    tags: { only: { bad: true } },
  });
  assert.equal(none.status, 400);
  const again = LogPageSchema.parse(await (await gateway.get('/v1/logs?limit=10')).json());
  assert.equal(again.entries.length, 2);
  assert.ok(
    again.entries.every((entry) => entry.tags === undefined || entry.tags.run === 'hostile'),
  );
});

test('identical items of one batch cost one call under cache refresh and bypass too', async () => {
  for (const cache of ['refresh', 'bypass']) {
    const fake = createFakeProvider();
    const gateway = createTestGateway({ providers: { fake } });
    const item = {
      template: 'minigrid-text',
      observation: { text: 'go', state: {} },
      actions: minigridActions,
      cache,
    };
    const response = await gateway.post('/v1/suggestions:batch', { requests: [item, item, item] });
    const body = (await response.json()) as { results: { cache: string }[] };
    assert.equal(fake.calls.length, 1, `cache: ${cache}`);
    assert.deepEqual(body.results.map((result) => result.cache).sort(), [
      'coalesced',
      'coalesced',
      'miss',
    ]);
    // Separate requests keep their meaning: each refresh or bypass asks upstream.
    await gateway.post('/v1/suggestions', item);
    assert.equal(fake.calls.length, 2);
  }
});

test('once storage is found unwritable, misses are refused before any upstream call, and served when it clears', async (t) => {
  const directory = mkdtempSync(join(tmpdir(), 'storage-gate-'));
  const database = openDatabase(join(directory, 'teacher.db'));
  t.after(() => {
    database.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const fake = createFakeProvider();
  const gateway = createTestGateway({ providers: { fake }, database });
  const request = (n: number) =>
    suggestionRequest({ observation: { image: distinctPng(n), text: `step ${n}` } });
  assert.equal((await gateway.post('/v1/suggestions', request(1))).status, 200);
  const paid = fake.calls.length;

  database.pragma('query_only = ON');
  assert.equal((await gateway.post('/v1/suggestions', request(2))).status, 503);
  assert.equal(fake.calls.length, paid + 1, 'the request that finds out pays its call');
  for (const n of [3, 4, 5]) {
    const refused = await gateway.post('/v1/suggestions', request(n));
    assert.equal(refused.status, 503);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'storage_unavailable',
    );
  }
  assert.equal(fake.calls.length, paid + 1, 'later misses are refused before paying for a call');

  database.pragma('query_only = OFF');
  assert.equal((await gateway.post('/v1/suggestions', request(6))).status, 200);
  assert.equal(fake.calls.length, paid + 2);
});

test('the packer sends a lone item at the end of its turn, gathers only while its group has a call in flight', async () => {
  const deferred: (() => void)[] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const flushed: number[][] = [];
  const answers: (() => void)[] = [];
  const packer = createRequestPacker<number, number>({
    windowMs: 2,
    maxBatchSize: 4,
    setTimer: (callback, ms) => timers.push({ callback, ms }),
    defer: (callback) => deferred.push(callback),
    flush: (items) => {
      flushed.push(items);
      return new Promise((resolve) => answers.push(() => resolve(items.map((item) => item * 10))));
    },
  });
  // Submitted in one turn: one call, and no timer.
  const first = [packer.submit('g', 1), packer.submit('g', 2)];
  assert.equal(timers.length, 0);
  deferred.splice(0).forEach((run) => run());
  assert.deepEqual(flushed, [[1, 2]]);
  // While that call is in flight, newcomers wait for the window to gather company.
  const second = [packer.submit('g', 3), packer.submit('g', 4)];
  assert.equal(deferred.length, 0);
  assert.equal(timers.at(-1)?.ms, 2);
  // Another group has nothing in flight: it goes at the end of the turn.
  const other = packer.submit('h', 9);
  assert.equal(deferred.length, 1);
  timers.splice(0).forEach(({ callback }) => callback());
  deferred.splice(0).forEach((run) => run());
  assert.deepEqual(flushed, [[1, 2], [3, 4], [9]]);
  answers.forEach((answer) => answer());
  assert.deepEqual(await Promise.all([...first, ...second, other]), [10, 20, 30, 40, 90]);
  // A full group goes at once.
  const full = [5, 6, 7, 8].map((item) => packer.submit('g', item));
  assert.deepEqual(flushed.at(-1), [5, 6, 7, 8]);
  answers.at(-1)?.();
  assert.deepEqual(await Promise.all(full), [50, 60, 70, 80]);
});

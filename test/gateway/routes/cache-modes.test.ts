import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createFakeProvider, letterAnswer } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';

const config = (mode: string) => `storage: { path: ":memory:" }
cache: { mode: ${mode} }
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;

test('record mode keeps the answer it served last, so replay serves exactly that', async () => {
  const database = openDatabase(':memory:');
  const fake = createFakeProvider();
  fake.queue.push(letterAnswer('A'), letterAnswer('F'));
  const recorder = createTestGateway({ yaml: config('record'), providers: { fake }, database });
  const served: number[] = [];
  for (let index = 0; index < 2; index += 1) {
    const body = (await (await recorder.post('/v1/suggestions', suggestionRequest())).json()) as { action: number; cache: string };
    assert.equal(body.cache, 'miss', 'record mode never reads');
    served.push(body.action);
  }
  assert.deepEqual(served, [0, 5]);
  await recorder.flush();
  const silent = createFakeProvider();
  silent.fallback = () => {
    throw new Error('replay must not call upstream');
  };
  const replayer = createTestGateway({ yaml: config('replay'), providers: { fake: silent }, database });
  const replayed = (await (await replayer.post('/v1/suggestions', suggestionRequest())).json()) as { action: number; cache: string };
  assert.equal(replayed.cache, 'replayed');
  assert.equal(replayed.action, 5);
});

test('cache "refresh" replaces the stored answer; "bypass" neither reads nor writes', async () => {
  const fake = createFakeProvider();
  fake.queue.push(letterAnswer('A'), letterAnswer('B'), letterAnswer('D'));
  const gateway = createTestGateway({ providers: { fake } });
  const ask = async (cache: string) =>
    (await (await gateway.post('/v1/suggestions', suggestionRequest({ cache }))).json()) as { action: number; cache: string };
  assert.equal((await ask('default')).action, 0);
  assert.equal((await ask('refresh')).action, 1);
  assert.deepEqual(await ask('default').then((body) => [body.cache, body.action]), ['hit', 1]);
  assert.equal((await ask('bypass')).action, 3);
  assert.deepEqual(await ask('only').then((body) => [body.cache, body.action]), ['hit', 1]);
});

test('a hit stores no prompt of its own, yet its log entry shows the prompt of the miss that filled the key', async () => {
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
  const miss = (await (await gateway.post('/v1/suggestions', suggestionRequest())).json()) as { id: string };
  const hit = (await (await gateway.post('/v1/suggestions', suggestionRequest())).json()) as { id: string; cache: string };
  assert.equal(hit.cache, 'hit');
  const stored = gateway.database.prepare('SELECT prompt FROM requests WHERE id = ?').get(hit.id) as { prompt: string | null };
  assert.equal(stored.prompt, null);
  const missEntry = (await (await gateway.get(`/v1/logs/${miss.id}`)).json()) as { prompt: string };
  const hitEntry = (await (await gateway.get(`/v1/logs/${hit.id}`)).json()) as { prompt: string };
  assert.match(hitEntry.prompt, /Mission: use the key/);
  assert.equal(hitEntry.prompt, missEntry.prompt);
});

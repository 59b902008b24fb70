import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import type { CacheEntry } from '@teacher-gateway/gateway/internal/stores/cache-store';
import { findNearestEntry } from '@teacher-gateway/gateway/internal/suggestion/find-nearest-entry';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { createFakeProvider, textAnswer } from '../../helpers/fake-provider.ts';

const config = (mode: string) => `storage: { path: ":memory:" }
cache: { mode: ${mode} }
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;

interface Miss {
  code: string;
  message: string;
  details: {
    key: string;
    sample: number;
    components: Record<string, string>;
    nearest?: { requestId: string; key: string; differs: string[] };
    differs?: string[];
  };
}

const state = { width: 8, height: 8, agent: { x: 1, y: 2, facing: 'east' } };
const recordedRequests = {
  image: suggestionRequest({ observation: { image: distinctPng(1), text: 'open the door' } }),
  state: suggestionRequest({ template: 'minigrid-text', observation: { text: 'open the door', state } }),
};

/** Records one request per template, then serves them back from a gateway in `mode`. */
async function recordThenServe(mode: 'replay' | 'live') {
  const database = openDatabase(':memory:');
  const recorder = createTestGateway({ yaml: config('record'), providers: { fake: createFakeProvider() }, database });
  const ids: Record<string, string> = {};
  for (const [name, request] of Object.entries(recordedRequests)) {
    const response = await recorder.post('/v1/suggestions', request);
    assert.equal(response.status, 200, await response.clone().text());
    ids[name] = ((await response.json()) as { id: string }).id;
  }
  await recorder.flush();
  const silent = createFakeProvider();
  silent.doGenerate = () => assert.fail('a miss that may not go upstream called upstream');
  const gateway = createTestGateway({ yaml: config(mode), providers: { fake: silent }, database });
  const miss = async (request: Record<string, unknown>): Promise<Miss> => {
    const response = await gateway.post('/v1/suggestions', request);
    assert.equal(response.status, 404, await response.clone().text());
    return ((await response.json()) as { error: Miss }).error;
  };
  return { database, ids, miss };
}

describe('a replay miss names the variable that differs', () => {
  test('image, text or state: the message and details name exactly the ones that differ', async () => {
    const { ids, miss } = await recordThenServe('replay');
    const cases: [Record<string, unknown>, string, string[]][] = [
      [suggestionRequest({ observation: { image: distinctPng(2), text: 'open the door' } }), 'image', ['image']],
      [suggestionRequest({ observation: { image: distinctPng(1), text: 'get the key' } }), 'image', ['text']],
      [suggestionRequest({ observation: { image: distinctPng(2), text: 'get the key' } }), 'image', ['text', 'image']],
      [suggestionRequest({ template: 'minigrid-text', observation: { text: 'open the door', state: { ...state, width: 9 } } }), 'state', ['state']],
    ];
    for (const [request, recorded, differs] of cases) {
      const error = await miss(request);
      assert.equal(error.code, 'not_cached');
      assert.equal(error.details.nearest?.requestId, ids[recorded]);
      assert.deepEqual(error.details.nearest?.differs, differs);
      assert.deepEqual(error.details.differs, differs);
      assert.equal(
        error.message,
        `replay mode: this request was never recorded; the nearest recorded request, ${ids[recorded]}, differs in: ${differs.join(', ')}`,
      );
      // The fields the contract had before stay as they were.
      assert.match(error.details.key, /^[0-9a-f]{64}$/);
      assert.equal(error.details.sample, 0);
      assert.match(error.details.components.variables ?? '', /^[0-9a-f]{64}$/);
      assert.match(error.details.nearest?.key ?? '', /^[0-9a-f]{64}$/);
    }
  });

  test('cache "only" in live mode says the same', async () => {
    const { ids, miss } = await recordThenServe('live');
    const error = await miss(suggestionRequest({ observation: { image: distinctPng(3), text: 'open the door' }, cache: 'only' }));
    assert.equal(
      error.message,
      `cache "only": this request is not in the cache; the nearest recorded request, ${ids.image}, differs in: image`,
    );
    assert.deepEqual(error.details.differs, ['image']);
  });

  test('entries recorded before the per-variable hashes existed fall back to "variables"', async () => {
    const { database, ids, miss } = await recordThenServe('replay');
    const rows = database.prepare('SELECT key, sample, components FROM cache_entries').all() as { key: string; sample: number; components: string }[];
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const { text: _text, image: _image, state: _state, ...older } = JSON.parse(row.components) as Record<string, string>;
      database.prepare('UPDATE cache_entries SET components = ? WHERE key = ? AND sample = ?').run(JSON.stringify(older), row.key, row.sample);
    }
    const error = await miss(suggestionRequest({ observation: { image: distinctPng(2), text: 'open the door' } }));
    assert.equal(error.details.nearest?.requestId, ids.image);
    assert.deepEqual(error.details.differs, ['variables']);
    assert.match(error.message, /differs in: variables$/);
  });

  test('a seed whose sample slot was never filled: the same key, an empty slot', async () => {
    const fake = createFakeProvider({ capabilities: { logprobs: false } });
    fake.fallback = textAnswer('A', 'A', 'C');
    const gateway = createTestGateway({ yaml: config('live'), providers: { fake } });
    const sampled = (seed: number, cache?: string) =>
      suggestionRequest({ seed, distribution: { method: 'samples' }, ...(cache ? { cache } : {}) });
    const recorded = (await (await gateway.post('/v1/suggestions', sampled(1))).json()) as { id: string };
    await gateway.flush();
    const response = await gateway.post('/v1/suggestions', sampled(2, 'only'));
    assert.equal(response.status, 404);
    const error = ((await response.json()) as { error: Miss }).error;
    assert.deepEqual([error.details.sample, error.details.differs], [2, []]);
    assert.equal(
      error.message,
      `cache "only": this request is not in the cache; recorded request ${recorded.id} has the same key, but sample slot 2 (chosen by the seed) is empty`,
    );
  });

  test('a template with nothing recorded says so', async () => {
    const { miss } = await recordThenServe('replay');
    const error = await miss(suggestionRequest({ template: 'minigrid-lvlm2p-verbalized' }));
    assert.equal(error.details.nearest, undefined);
    assert.equal(error.details.differs, undefined);
    assert.match(error.message, /nothing is recorded for template minigrid-lvlm2p-verbalized$/);
  });
});

describe('findNearestEntry', () => {
  const hashes = (overrides: Record<string, string | undefined>) => {
    const components: Record<string, string> = {};
    for (const [name, value] of Object.entries({ provider: 'p', template: 't', variables: 'v', actions: 'a', method: 'm', decoding: 'd', text: 'x', image: 'i', ...overrides })) {
      if (value !== undefined) components[name] = value;
    }
    return components;
  };
  const entry = (requestId: string, components: Record<string, string>) => ({ requestId, key: requestId, components }) as unknown as CacheEntry;

  test('among entries differing in the same key components, the one differing in fewer variables is nearest', () => {
    const request = hashes({});
    const nearest = findNearestEntry(request, [
      entry('both', hashes({ variables: 'v2', text: 'x2', image: 'i2' })),
      entry('image-only', hashes({ variables: 'v3', image: 'i3' })),
      entry('actions', hashes({ actions: 'a2', variables: 'v4', image: 'i4' })),
    ]);
    assert.deepEqual(nearest, { requestId: 'image-only', key: 'image-only', differs: ['image'] });
  });

  test('a variable present on one side only differs; an identical key differs in nothing (another sample slot)', () => {
    assert.deepEqual(findNearestEntry(hashes({}), [entry('no-image', hashes({ variables: 'v2', image: undefined }))])?.differs, ['image']);
    assert.deepEqual(findNearestEntry(hashes({}), [entry('same', hashes({}))])?.differs, []);
  });
});

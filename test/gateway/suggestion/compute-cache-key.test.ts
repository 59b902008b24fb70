import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson } from '@teacher-gateway/gateway/internal/suggestion/canonical-json';
import { computeCacheKey } from '@teacher-gateway/gateway/internal/suggestion/compute-cache-key';
import type { CacheKeyInput } from '@teacher-gateway/gateway/internal/suggestion/compute-cache-key';

const input: CacheKeyInput = {
  provider: { kind: 'openai', model: 'gpt-4o-mini' },
  template: { id: 'minigrid-lvlm2p', sha256: 'f'.repeat(64) },
  variables: { text: 'get the key', state: { '10': 1, '9': [2, { b: 1, a: null }], z: 'é' }, image: 'a'.repeat(64) },
  actions: { labels: ['left', 'right'], kind: 'discrete' },
  method: { name: 'logprobs', parameters: { temperature: 1 } },
  decoding: { topLogprobs: 20, maxOutputTokens: 1, temperature: 0, samples: 1 },
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Recorded caches and exported runs are addressed by these keys: a change here orphans them.
test('the cache key of a fixed request is the one the first release computed', () => {
  assert.deepEqual(computeCacheKey(input), {
    key: '44d216d75dc05c7117bee0869dd21b91e001e17ac07fc9fd2d49c7c0d9f9f059',
    components: {
      provider: 'c84fbcacfcddabd2fd5c979e5fe5ba13e49db1692c1a7665cbf6585c8acec650',
      template: '08773769401c8cb86c2314b2420e5da87d45d008df7b89e600efe9806008792d',
      variables: 'c646f810ca3ce4e589124daae0c65fecf98df89d105869fba81c973707e7d0e0',
      actions: 'bd8eb52eec03d6c8eeeba80326684dd48c0491869649f442e0992d8ee1ea5023',
      method: '87a92fc89eea8b5aef991bccb71fdf9430031b79b05871cc44e685087e818937',
      decoding: '2ddb738dbccad582c54c896c530287360c27dcf983791a98ba6c6c312ad38851',
      text: sha256(JSON.stringify('get the key')),
      image: sha256(JSON.stringify('a'.repeat(64))),
      state: sha256(canonicalJson(input.variables.state)),
    },
  });
});

// The per-variable hashes sit beside the key's components; the key is still the hash of the six.
test('the per-variable hashes leave the key as it was: the hash of the six components alone', () => {
  for (const variables of [input.variables, { text: 'only text' }, { image: 'b'.repeat(64), state: [1] }, {}]) {
    const { key, components } = computeCacheKey({ ...input, variables });
    const { provider, template, variables: hashed, actions, method, decoding } = components;
    assert.equal(key, sha256(canonicalJson({ provider, template, variables: hashed, actions, method, decoding })));
    assert.deepEqual(
      ['text', 'image', 'state'].filter((name) => name in components),
      ['text', 'image', 'state'].filter((name) => name in variables),
      'a hash for each variable the request renders, and none for the others',
    );
  }
});

test('each variable has its own hash: changing one changes only its own and the variables component', () => {
  const before = computeCacheKey(input).components;
  const after = computeCacheKey({ ...input, variables: { ...input.variables, image: 'b'.repeat(64) } }).components;
  const changed = Object.keys(before).filter((name) => before[name as keyof typeof before] !== after[name as keyof typeof after]);
  assert.deepEqual(changed, ['variables', 'image']);
});

test('remembered component hashes do not depend on the key order they were first seen in', () => {
  const reordered: CacheKeyInput = {
    ...input,
    actions: { kind: 'discrete', labels: ['left', 'right'] },
    decoding: { samples: 1, temperature: 0, maxOutputTokens: 1, topLogprobs: 20 },
  };
  assert.equal(computeCacheKey(reordered).key, computeCacheKey(input).key);
  assert.notEqual(computeCacheKey({ ...input, actions: { kind: 'discrete', labels: ['right', 'left'] } }).key, computeCacheKey(input).key);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PassThroughAnswer } from '@teacher-gateway/gateway/internal/drop-in/create-drop-in-service';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteCacheStore } from '@teacher-gateway/gateway/internal/stores/sqlite-cache-store';
import { createTieredCacheStore } from '@teacher-gateway/gateway/internal/stores/tiered-cache-store';
import { makeCacheEntry } from '../../helpers/make-cache-entry.ts';

test('the memory tier counts a drop-in answer\'s whole response against cache.memoryBytes', async () => {
  const cache = createTieredCacheStore({ durable: createSqliteCacheStore(openDatabase(':memory:')), maxEntries: 1000, maxBytes: 3_000_000 });
  const answer: PassThroughAnswer = { method: 'pass-through', usage: { inputTokens: 1, outputTokens: 1 }, wire: 'openai', response: { choices: [] }, bytes: 1_000_000 };
  for (let index = 0; index < 5; index += 1) {
    const entry = makeCacheEntry(`big-${index}`, { answer });
    await cache.put(entry);
    assert.equal((await cache.get(entry.key)).length, 1);
  }
  const memory = cache.memory();
  assert.ok(memory.bytes <= 3_000_000, `memory tier holds ${memory.bytes} bytes`);
  assert.equal(memory.keys, 1, 'a 1 MB response counts as about 2 MB of JavaScript strings');
});

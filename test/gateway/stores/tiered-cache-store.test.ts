import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CacheEntry, CacheStore } from '@teacher-gateway/gateway/internal/stores/cache-store';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteCacheStore } from '@teacher-gateway/gateway/internal/stores/sqlite-cache-store';
import type { TieredCacheStore } from '@teacher-gateway/gateway/internal/stores/tiered-cache-store';
import { createTieredCacheStore } from '@teacher-gateway/gateway/internal/stores/tiered-cache-store';
import { runCacheStoreConformance } from '../../conformance/cache-store-conformance.ts';
import { makeCacheEntry } from '../../helpers/make-cache-entry.ts';

const maxEntries = 16;
// 7-probability answers are estimated at ~620 bytes, 400-probability ones at ~6.9 KB.
const maxBytes = 40_000;

runCacheStoreConformance({
  name: 'tiered (lru-cache in front of SQLite)',
  open(path) {
    const database = openDatabase(path);
    const store = createTieredCacheStore({ durable: createSqliteCacheStore(database), maxEntries, maxBytes });
    return { store, close: () => database.close() };
  },
  memory: { maxEntries, maxBytes, usage: (store) => (store as TieredCacheStore).memory() },
});

/** A durable tier that counts reads, so a test can tell a memory hit from a disk read. */
function countingStore(inner: CacheStore): CacheStore & { reads: string[] } {
  const reads: string[] = [];
  return { ...inner, reads, get: (key) => (reads.push(key), inner.get(key)) };
}

describe('tiered cache store', () => {
  test('evicts the least recently used key, not the oldest written', async () => {
    const durable = countingStore(createSqliteCacheStore(openDatabase(':memory:')));
    const store = createTieredCacheStore({ durable, maxEntries: 3, maxBytes: 1_000_000 });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => makeCacheEntry(name)) as [CacheEntry, CacheEntry, CacheEntry, CacheEntry];
    for (const entry of [a, b, c]) {
      await store.put(entry);
      await store.get(entry.key);
    }
    await store.get(a.key); // a is now the most recently used
    await store.put(d);
    await store.get(d.key); // evicts b
    durable.reads.length = 0;
    await store.get(a.key);
    await store.get(c.key);
    await store.get(d.key);
    assert.deepEqual(durable.reads, [], 'a, c and d are served from memory');
    assert.deepEqual(await store.get(b.key), [b], 'b is still answered, from disk');
    assert.deepEqual(durable.reads, [b.key]);
  });

  test('a hit in memory never touches the durable tier; a put drops the stale memory copy', async () => {
    const durable = countingStore(createSqliteCacheStore(openDatabase(':memory:')));
    const store = createTieredCacheStore({ durable, maxEntries: 10, maxBytes: 1_000_000 });
    const slot0 = makeCacheEntry('stochastic');
    await store.put(slot0);
    await store.get(slot0.key);
    durable.reads.length = 0;
    for (let index = 0; index < 10; index += 1) await store.get(slot0.key);
    assert.equal(durable.reads.length, 0);
    const slot1 = makeCacheEntry('stochastic', { sample: 1 });
    await store.put(slot1);
    assert.deepEqual(await store.get(slot0.key), [slot0, slot1], 'the new slot is visible at once');
  });

  test('memoryEntries 0 turns the memory tier off', async () => {
    const durable = countingStore(createSqliteCacheStore(openDatabase(':memory:')));
    const store = createTieredCacheStore({ durable, maxEntries: 0, maxBytes: 1 });
    const entry = makeCacheEntry('x');
    await store.put(entry);
    await store.get(entry.key);
    await store.get(entry.key);
    assert.equal(durable.reads.length, 2);
    assert.deepEqual(store.memory(), { keys: 0, bytes: 0 });
  });
});

/**
 * @module
 * What every CacheStore must do, as a suite each implementation runs with its own factory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { CacheStore } from '@teacher-gateway/gateway/internal/stores/cache-store';
import { makeCacheEntry } from '../helpers/make-cache-entry.ts';

export interface OpenedCacheStore {
  store: CacheStore;
  /** Closes what `open` opened (the database). */
  close(): unknown;
}

export interface CacheStoreFactory {
  name: string;
  /**
   * Opens a store on a database (a file path for SQLite, the name of a fresh PostgreSQL schema);
   * called again with the same path to stand for a restart or a second replica.
   */
  open(path: string): OpenedCacheStore | Promise<OpenedCacheStore>;
  /** For stores that keep entries in memory: the bounds `open` configured and how to read usage. */
  memory?: {
    maxEntries: number;
    maxBytes: number;
    usage(store: CacheStore): { keys: number; bytes: number };
  };
}

export function runCacheStoreConformance(factory: CacheStoreFactory): void {
  describe(`CacheStore conformance: ${factory.name}`, () => {
    let directory: string;
    let path: string;
    const opened: OpenedCacheStore[] = [];
    const open = async () => {
      const store = await factory.open(path);
      opened.push(store);
      return store;
    };
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'cache-store-'));
      path = join(directory, 'teacher.db');
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      rmSync(directory, { recursive: true, force: true });
    });

    test('an unknown key has no answers', async () => {
      const { store } = await open();
      assert.deepEqual((await store.get('0'.repeat(64))), []);
      assert.deepEqual((await store.stats()), { entries: 0, keys: 0, bytes: 0 });
    });

    test('an entry comes back as it was put, optional fields included', async () => {
      const { store } = await open();
      const plain = makeCacheEntry('plain');
      const full = makeCacheEntry('full', {
        imageSha256: 'b'.repeat(64),
        run: 'doorkey-s1',
        answer: { method: 'verbalized', probs: [0.5, 0.5], usage: { inputTokens: 3, outputTokens: 4 }, warnings: ['w'] },
      });
      const vector = makeCacheEntry('vector', {
        answer: { method: 'vector', vector: [0.25, -1], usage: { inputTokens: 1, outputTokens: 2 } },
      });
      for (const entry of [plain, full, vector]) await store.put(entry);
      for (const entry of [plain, full, vector]) assert.deepEqual((await store.get(entry.key)), [entry]);
    });

    test('sample slots: several answers per key, in slot order, independent of other keys', async () => {
      const { store } = await open();
      const slots = [2, 0, 1].map((sample) =>
        makeCacheEntry('stochastic', { sample, requestId: `sug_${sample}`, answer: { method: 'samples', probs: [sample / 4, 1 - sample / 4], usage: { inputTokens: 1, outputTokens: 1 } } }),
      );
      for (const entry of slots) await store.put(entry);
      await store.put(makeCacheEntry('other'));
      const stored = (await store.get(makeCacheEntry('stochastic').key));
      assert.deepEqual(stored.map((entry) => entry.sample), [0, 1, 2]);
      assert.deepEqual(stored.map((entry) => entry.requestId), ['sug_0', 'sug_1', 'sug_2']);
      assert.equal((await store.get(makeCacheEntry('other').key)).length, 1);
      assert.deepEqual((await store.stats()).entries, 4);
      assert.deepEqual((await store.stats()).keys, 2);
    });

    test('first writer wins: an occupied slot keeps its first answer, even once read into memory', async () => {
      const { store } = await open();
      const first = makeCacheEntry('contested', { requestId: 'sug_first' });
      await store.put(first);
      assert.deepEqual((await store.get(first.key)), [first]);
      await store.put(makeCacheEntry('contested', { requestId: 'sug_second', answer: { method: 'logprobs', probs: [1], usage: { inputTokens: 0, outputTokens: 0 } } }));
      assert.deepEqual((await store.get(first.key)), [first]);
      // A new slot under the same key is still accepted beside it.
      await store.put(makeCacheEntry('contested', { sample: 1, requestId: 'sug_slot1' }));
      assert.deepEqual((await store.get(first.key)).map((entry) => entry.requestId), ['sug_first', 'sug_slot1']);
    });

    test('a put is readable at once, before its commit, and durable once it resolves', async () => {
      const writer = await open();
      const reader = await open();
      const entry = makeCacheEntry('pending');
      const written = writer.store.put(entry);
      assert.deepEqual((await writer.store.get(entry.key)), [entry], 'the writer answers with it before the commit');
      assert.deepEqual((await reader.store.get(entry.key)), [], 'another connection sees only committed rows');
      await written;
      assert.deepEqual((await reader.store.get(entry.key)), [entry]);
    });

    test('writes waiting for one commit follow the slot rules: first answer kept unless replaced', async () => {
      const { store } = await open();
      const first = makeCacheEntry('waiting', { requestId: 'sug_first' });
      const second = makeCacheEntry('waiting', { requestId: 'sug_second' });
      const third = makeCacheEntry('waiting', { requestId: 'sug_third' });
      const writes = [store.put(first), store.put(second)];
      assert.deepEqual((await store.get(first.key)).map((entry) => entry.requestId), ['sug_first']);
      writes.push(store.put(third, { replace: true }));
      assert.deepEqual((await store.get(first.key)).map((entry) => entry.requestId), ['sug_third']);
      await Promise.all(writes);
      assert.deepEqual((await store.get(first.key)).map((entry) => entry.requestId), ['sug_third'], 'and the file agrees once committed');
    });

    test('stats count entries, keys and bytes', async () => {
      const { store } = await open();
      for (let index = 0; index < 5; index += 1) await store.put(makeCacheEntry(`k${index}`));
      await store.put(makeCacheEntry('k0', { sample: 1 }));
      const stats = (await store.stats());
      assert.equal(stats.entries, 6);
      assert.equal(stats.keys, 5);
      assert.ok(stats.bytes > 0);
    });

    test('stats follow a replaced answer (same counts, its new size) and ignore a losing write', async () => {
      const { store } = await open();
      await store.put(makeCacheEntry('resized'));
      await store.put(makeCacheEntry('resized', { sample: 1 }));
      const before = await store.stats();
      const longer = { method: 'verbalized' as const, probs: [0.25, 0.75], usage: { inputTokens: 1, outputTokens: 1 }, warnings: ['a warning that makes this answer longer'] };
      await store.put(makeCacheEntry('resized', { answer: longer }), { replace: true });
      const after = await store.stats();
      assert.deepEqual([after.entries, after.keys], [2, 1]);
      assert.ok(after.bytes > before.bytes, `${after.bytes} > ${before.bytes}`);
      await store.put(makeCacheEntry('resized', { requestId: 'sug_late' }));
      assert.deepEqual(await store.stats(), after);
    });

    test('recent lists a template\'s newest entries first, up to the limit', async () => {
      const { store } = await open();
      for (let index = 0; index < 6; index += 1) await store.put(makeCacheEntry(`r${index}`, { createdAt: 1000 + index }));
      await store.put(makeCacheEntry('elsewhere', { createdAt: 5000, template: { id: 'other-template', version: 1, sha256: 'c'.repeat(64) } }));
      const recent = (await store.recent('minigrid-lvlm2p', 3));
      assert.deepEqual(recent.map((entry) => entry.requestId), ['sug_r5', 'sug_r4', 'sug_r3']);
      assert.deepEqual((await store.recent('other-template', 10)).map((entry) => entry.requestId), ['sug_elsewhere']);
    });

    test('many more entries than memory holds all stay readable', async () => {
      const { store } = await open();
      const entries = Array.from({ length: 300 }, (_, index) => makeCacheEntry(`many${index}`, { createdAt: index }));
      for (const entry of entries) await store.put(entry);
      for (const round of [0, 1]) {
        for (const entry of entries) assert.deepEqual((await store.get(entry.key)), [entry], `round ${round}`);
      }
    });

    if (factory.memory) {
      const memory = factory.memory;
      test('memory stays within its entry bound (small answers) and its byte bound (large answers)', async () => {
        const { store } = await open();
        for (let index = 0; index < 5 * memory.maxEntries; index += 1) {
          await store.put(makeCacheEntry(`small${index}`));
          await store.get(makeCacheEntry(`small${index}`).key);
        }
        const small = memory.usage(store);
        assert.equal(small.keys, memory.maxEntries, 'small answers fill the entry bound');
        assert.ok(small.bytes <= memory.maxBytes);
        for (let index = 0; index < 5 * memory.maxEntries; index += 1) {
          const entry = makeCacheEntry(`large${index}`, { probCount: 400 });
          await store.put(entry);
          assert.deepEqual((await store.get(entry.key)), [entry]);
        }
        const large = memory.usage(store);
        assert.ok(large.bytes <= memory.maxBytes, `${large.bytes} bytes held, bound ${memory.maxBytes}`);
        assert.ok(large.keys < memory.maxEntries, 'the byte bound binds before the entry bound');
        assert.ok(large.keys > 0);
      });
    }

    test('after a restart (a new store on the same file) every entry still hits', async () => {
      const first = await open();
      const entries = Array.from({ length: 50 }, (_, index) => makeCacheEntry(`restart${index}`, { sample: index % 3 }));
      for (const entry of entries) await first.store.put(entry);
      const statsBefore = (await first.store.stats());
      await first.close();
      opened.splice(opened.indexOf(first), 1);
      const second = await open();
      for (const entry of entries) assert.deepEqual((await second.store.get(entry.key)), [entry]);
      assert.deepEqual((await second.store.stats()), statsBefore);
    });

    test('a second store on the same file sees what the first wrote (WAL readers)', async () => {
      const writer = await open();
      const reader = await open();
      const entry = makeCacheEntry('shared');
      assert.deepEqual((await reader.store.get(entry.key)), []);
      await writer.store.put(entry);
      assert.deepEqual((await reader.store.get(entry.key)), [entry]);
    });
  });
}

/**
 * @module
 * What every ImageStore must do, as a suite each backend runs with its own factory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { ImageStore } from '@teacher-gateway/gateway/internal/stores/image-store';

export interface OpenedImageStore {
  images: ImageStore;
  close(): unknown;
}

export interface ImageStoreFactory {
  name: string;
  /** Opens a store on a database; called again with the same path for a second connection or replica. */
  open(path: string): OpenedImageStore | Promise<OpenedImageStore>;
}

const image = (fill: number) => ({
  sha256: fill.toString(16).padStart(2, '0').repeat(32),
  mediaType: 'image/png',
  data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, fill, 0, 255]),
});

export function runImageStoreConformance(factory: ImageStoreFactory): void {
  describe(`ImageStore conformance: ${factory.name}`, () => {
    let directory: string;
    let path: string;
    const opened: OpenedImageStore[] = [];
    const open = async () => {
      const store = await factory.open(path);
      opened.push(store);
      return store.images;
    };
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'image-store-'));
      path = join(directory, 'teacher.db');
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      rmSync(directory, { recursive: true, force: true });
    });

    test('an unknown image is absent', async () => {
      const images = await open();
      assert.equal(await images.get(image(1).sha256), undefined);
      assert.equal(await images.has(image(1).sha256), false);
    });

    test('a put is readable at once and, once it resolves, from another connection, byte for byte', async () => {
      const writer = await open();
      const reader = await open();
      const stored = image(2);
      const written = writer.put(stored);
      assert.deepEqual(await writer.get(stored.sha256), stored);
      assert.equal(await writer.has(stored.sha256), true);
      await written;
      assert.deepEqual(await reader.get(stored.sha256), stored);
      assert.equal(await reader.has(stored.sha256), true);
    });

    test('the same image put by two stores (replicas) at once is stored once and readable by both', async () => {
      const first = await open();
      const second = await open();
      const stored = image(3);
      await Promise.all([first.put(stored), second.put(stored), first.put(stored)]);
      assert.deepEqual(await first.get(stored.sha256), stored);
      assert.deepEqual(await second.get(stored.sha256), stored);
      const third = await open();
      assert.deepEqual(await third.get(stored.sha256), stored);
    });
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit } from '@teacher-gateway/gateway/internal/stores/group-commit';
import { createSqliteImageStore } from '@teacher-gateway/gateway/internal/stores/image-store';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { runImageStoreConformance } from '../../conformance/image-store-conformance.ts';

const image = (fill: number) => ({ sha256: String(fill).repeat(64).slice(0, 64), mediaType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, fill]) });

test('an image is readable at once and durable once put resolves', async () => {
  const database = openDatabase(':memory:');
  const images = createSqliteImageStore(database, () => 1);
  const stored = image(1);
  const written = images.put(stored);
  assert.deepEqual(await images.get(stored.sha256), stored);
  assert.equal(await images.has(stored.sha256), true);
  await written;
  const row = database.prepare('SELECT media_type FROM images WHERE sha256 = ?').get(stored.sha256);
  assert.deepEqual(row, { media_type: 'image/png' });
  await images.put(stored);
  assert.deepEqual(database.prepare('SELECT count(*) AS n FROM images').get(), { n: 1 }, 'stored once');
});

test('an image whose commit failed is written again by the next put', async () => {
  const database = openDatabase(':memory:');
  let failNext = true;
  const commits = createGroupCommit(database);
  // Stands for a full disk on the first commit only.
  const faulty = {
    add: (write: () => void, settled?: (error?: unknown) => void) =>
      failNext ? ((failNext = false), commits.add(() => { throw Object.assign(new Error('full'), { code: 'SQLITE_FULL' }); }, settled)) : commits.add(write, settled),
    flush: () => commits.flush(),
  };
  const images = createSqliteImageStore(database, () => 1, faulty);
  const stored = image(2);
  await assert.rejects(images.put(stored));
  assert.equal(await images.get(stored.sha256), undefined, 'nothing half-stored is served');
  assert.equal(await images.has(stored.sha256), false);
  await images.put(stored);
  assert.deepEqual(await images.get(stored.sha256), stored);
});

runImageStoreConformance({
  name: 'SQLite',
  open(path) {
    const database = openDatabase(path);
    return { images: createSqliteImageStore(database, () => 1), close: () => database.close() };
  },
});

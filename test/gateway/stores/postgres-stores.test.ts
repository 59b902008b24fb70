import { after } from 'node:test';
import { describe, test } from 'node:test';
import { openPostgresStorage } from '@teacher-gateway/gateway/internal/stores/open-postgres-storage';
import { createTieredCacheStore } from '@teacher-gateway/gateway/internal/stores/tiered-cache-store';
import type { TieredCacheStore } from '@teacher-gateway/gateway/internal/stores/tiered-cache-store';
import { runAuditLogConformance } from '../../conformance/audit-log-conformance.ts';
import { runCacheStoreConformance } from '../../conformance/cache-store-conformance.ts';
import { runImageStoreConformance } from '../../conformance/image-store-conformance.ts';
import { postgresTestDatabase } from '../../helpers/postgres-test-database.ts';

const database = await postgresTestDatabase();

if ('skip' in database) {
  describe('PostgreSQL stores', () => test('skipped', { skip: database.skip }, () => undefined));
} else {
  after(() => database.dropSchemas());
  // The conformance suites hand a fresh path per test and the same path again for a restart or a
  // second replica: here each path names a schema of its own.
  const schemas = new Map<string, Promise<string>>();
  const urlFor = (path: string) => {
    let url = schemas.get(path);
    if (!url) schemas.set(path, (url = database.schemaUrl()));
    return url;
  };

  runCacheStoreConformance({
    name: 'PostgreSQL',
    async open(path) {
      const storage = await openPostgresStorage(await urlFor(path));
      return { store: storage.cache, close: () => storage.close() };
    },
  });

  runCacheStoreConformance({
    name: 'LRU over PostgreSQL',
    async open(path) {
      const storage = await openPostgresStorage(await urlFor(path));
      const store = createTieredCacheStore({ durable: storage.cache, maxEntries: 64, maxBytes: 64 * 1024 });
      return { store, close: () => storage.close() };
    },
    memory: { maxEntries: 64, maxBytes: 64 * 1024, usage: (store) => (store as TieredCacheStore).memory() },
  });

  runImageStoreConformance({
    name: 'PostgreSQL',
    async open(path) {
      const storage = await openPostgresStorage(await urlFor(path));
      return { images: storage.images, close: () => storage.close() };
    },
  });

  runAuditLogConformance({
    name: 'PostgreSQL',
    async open(path) {
      const storage = await openPostgresStorage(await urlFor(path));
      return { auditLog: storage.auditLog, close: () => storage.close() };
    },
  });
}

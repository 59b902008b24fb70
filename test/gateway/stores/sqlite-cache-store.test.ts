import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteCacheStore } from '@teacher-gateway/gateway/internal/stores/sqlite-cache-store';
import { runCacheStoreConformance } from '../../conformance/cache-store-conformance.ts';

runCacheStoreConformance({
  name: 'SQLite',
  open(path) {
    const database = openDatabase(path);
    return { store: createSqliteCacheStore(database), close: () => database.close() };
  },
});

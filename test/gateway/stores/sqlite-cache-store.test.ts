import { openDatabase } from '../../../gateway/src/stores/open-database.ts';
import { createSqliteCacheStore } from '../../../gateway/src/stores/sqlite-cache-store.ts';
import { runCacheStoreConformance } from '../../conformance/cache-store-conformance.ts';

runCacheStoreConformance({
  name: 'SQLite',
  open(path) {
    const database = openDatabase(path);
    return { store: createSqliteCacheStore(database), close: () => database.close() };
  },
});

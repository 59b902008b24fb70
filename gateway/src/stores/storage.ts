/**
 * @module
 * Everything the gateway keeps, behind one value per backend: SQLite embedded (`storage.path`)
 * or PostgreSQL shared by replicas (`storage.url`). The gateway, the viewer and the data
 * commands see only these interfaces.
 */
import type { StorageHealth } from '../health/probe-sqlite-storage.ts';
import type { AuditLog } from './audit-log.ts';
import type { CacheStore } from './cache-store.ts';
import type { FlightClaims } from './flight-claims.ts';
import type { ImageStore } from './image-store.ts';
import type { LogQueries } from './log-queries.ts';
import type { StorageRows } from './storage-rows.ts';

export interface Storage {
  backend: 'sqlite' | 'postgres';
  /** The durable cache tier (the gateway puts its in-memory LRU in front). */
  cache: CacheStore;
  images: ImageStore;
  auditLog: AuditLog;
  logQueries: LogQueries;
  /** Whole rows, for `cache export/import/stats`. */
  rows: StorageRows;
  /** Cross-replica single flight; absent where one process owns the store (SQLite). */
  claims?: FlightClaims;
  /** Whether a write could commit now, without keeping anything (for /healthz). */
  probe(): StorageHealth | Promise<StorageHealth>;
  /** Resolves once every write queued so far has committed or failed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

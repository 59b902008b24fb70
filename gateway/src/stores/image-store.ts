import type { GroupCommit } from './group-commit.ts';
import { createGroupCommit } from './group-commit.ts';
import type { SqliteDatabase } from './open-database.ts';

export interface StoredImage {
  sha256: string;
  mediaType: string;
  data: Uint8Array;
}

/** Content-addressed images: each distinct image is stored once, under the sha256 of its bytes. */
export interface ImageStore {
  get(sha256: string): Promise<StoredImage | undefined>;
  has(sha256: string): Promise<boolean>;
  /** `get` sees the image at once; the promise resolves once it is durable. */
  put(image: StoredImage): Promise<void>;
}

const maxKnownImages = 50_000;

/**
 * Images in SQLite, written through the group commit (shared with the cache and the audit log in
 * the gateway): a request's audit rows are queued after its image, so its response waits for both.
 */
export function createSqliteImageStore(
  database: SqliteDatabase,
  now: () => number,
  commits: GroupCommit = createGroupCommit(database),
): ImageStore {
  const select = database.prepare<[string], { media_type: string; bytes: Buffer }>(
    'SELECT media_type, bytes FROM images WHERE sha256 = ?',
  );
  const exists = database.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM images WHERE sha256 = ?',
  );
  const insert = database.prepare(
    'INSERT OR IGNORE INTO images (sha256, media_type, bytes, created_at) VALUES (?, ?, ?, ?)',
  );
  // Trainers resend the same few thousand frames; remembering which are stored skips a write.
  const known = new Set<string>();
  // A long run sends millions of distinct frames: forgetting now and then (it only costs an
  // INSERT OR IGNORE) keeps the set from growing with the run (~150 bytes a frame).
  const remember = (sha256: string) => {
    if (known.size >= maxKnownImages) known.clear();
    known.add(sha256);
  };
  // Images queued but not yet committed, with the promise of their commit.
  const pending = new Map<string, { image: StoredImage; written: Promise<void> }>();
  return {
    async get(sha256) {
      const waiting = pending.get(sha256);
      if (waiting) return waiting.image;
      const row = select.get(sha256);
      return row ? { sha256, mediaType: row.media_type, data: new Uint8Array(row.bytes) } : undefined;
    },
    async has(sha256) {
      if (known.has(sha256) || pending.has(sha256)) return true;
      const found = exists.get(sha256) !== undefined;
      if (found) remember(sha256);
      return found;
    },
    put(image) {
      if (known.has(image.sha256)) return Promise.resolve();
      const waiting = pending.get(image.sha256);
      if (waiting) return waiting.written;
      const bytes = Buffer.from(image.data);
      const written = commits.add(
        () => insert.run(image.sha256, image.mediaType, bytes, now()),
        (error) => {
          pending.delete(image.sha256);
          // Remembered only once stored: a failed write must be tried again by the next request.
          if (error === undefined) remember(image.sha256);
        },
      );
      pending.set(image.sha256, { image, written });
      return written;
    },
  };
}

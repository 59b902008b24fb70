import type { SqliteDatabase } from './open-database.ts';
import { toStorageError } from './to-storage-error.ts';

export interface StoredImage {
  sha256: string;
  mediaType: string;
  data: Uint8Array;
}

/** Content-addressed images: each distinct image is stored once, under the sha256 of its bytes. */
export interface ImageStore {
  get(sha256: string): StoredImage | undefined;
  has(sha256: string): boolean;
  put(image: StoredImage): void;
}

const maxKnownImages = 50_000;

export function createSqliteImageStore(database: SqliteDatabase, now: () => number): ImageStore {
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
  return {
    get(sha256) {
      const row = select.get(sha256);
      return row ? { sha256, mediaType: row.media_type, data: new Uint8Array(row.bytes) } : undefined;
    },
    has(sha256) {
      if (known.has(sha256)) return true;
      const found = exists.get(sha256) !== undefined;
      if (found) remember(sha256);
      return found;
    },
    put(image) {
      if (known.has(image.sha256)) return;
      try {
        insert.run(image.sha256, image.mediaType, Buffer.from(image.data), now());
      } catch (error) {
        throw toStorageError(error, 'image write');
      }
      remember(image.sha256);
    },
  };
}

import type pg from 'pg';
import type { ImageStore, StoredImage } from './image-store.ts';
import type { PostgresGroupCommit } from './postgres-group-commit.ts';
import { toStorageError } from './to-storage-error.ts';

const maxKnownImages = 50_000;

/**
 * Content-addressed images in PostgreSQL (`bytea`, keyed by sha256): replicas that store the same
 * frame write one row (`ON CONFLICT DO NOTHING`).
 */
export function createPostgresImageStore(pool: pg.Pool, now: () => number, commits: PostgresGroupCommit): ImageStore {
  // As in SQLite's store: trainers resend the same frames, so remembering which are stored skips a round trip.
  const known = new Set<string>();
  const remember = (sha256: string) => {
    if (known.size >= maxKnownImages) known.clear();
    known.add(sha256);
  };
  const pending = new Map<string, { image: StoredImage; written: Promise<void> }>();
  const read = async <Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) => {
    try {
      return (await pool.query<Row>({ name, text, values })).rows;
    } catch (error) {
      throw toStorageError(error, 'image read');
    }
  };
  return {
    async get(sha256) {
      const waiting = pending.get(sha256);
      if (waiting) return waiting.image;
      const [row] = await read<{ media_type: string; bytes: Buffer }>(
        'image_get',
        'SELECT media_type, bytes FROM images WHERE sha256 = $1',
        [sha256],
      );
      return row ? { sha256, mediaType: row.media_type, data: new Uint8Array(row.bytes) } : undefined;
    },
    async has(sha256) {
      if (known.has(sha256) || pending.has(sha256)) return true;
      const rows = await read('image_has', 'SELECT 1 FROM images WHERE sha256 = $1', [sha256]);
      if (rows.length > 0) remember(sha256);
      return rows.length > 0;
    },
    put(image) {
      if (known.has(image.sha256)) return Promise.resolve();
      const waiting = pending.get(image.sha256);
      if (waiting) return waiting.written;
      const row = { sha256: image.sha256, media_type: image.mediaType, bytes: Buffer.from(image.data), created_at: now() };
      const written = commits.add(
        (writes) => writes.images.push(row),
        (error) => {
          pending.delete(image.sha256);
          if (error === undefined) remember(image.sha256);
        },
      );
      pending.set(image.sha256, { image, written });
      return written;
    },
  };
}

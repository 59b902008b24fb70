/**
 * @module
 * The images that queued and in-flight upstream work holds, each in memory once however many
 * requests name it, and a bound on their bytes. A batch of a thousand items naming one stored
 * 5 MB image holds 5 MB, not five gigabytes.
 */
import { GatewayError } from '../errors/gateway-error.ts';
import type { ImageStore, StoredImage } from '../stores/image-store.ts';

/** One request's hold on an image; the bytes are dropped when the last lease is released. */
export interface ImageLease {
  readonly image: StoredImage;
  /** Idempotent. */
  release(): void;
}

export type LeaseResult = { ok: true; lease: ImageLease } | { ok: false; error: GatewayError };

export interface ImageTable {
  /**
   * Takes a lease on the image: shared if another request holds it, else read from `inline` (bytes
   * the request brought) or the image store. Refused with `429 rate_limited` when taking it would
   * hold more than the bound.
   */
  acquire(sha256: string, inline?: StoredImage): Promise<LeaseResult>;
  /**
   * Waits for room to send a call carrying `bytes` of images, and resolves with its release. Each
   * call in flight holds its own wire copies (base64 text, the JSON body, its encoded buffer,
   * several times the image), so those are bounded too: at most `maxSendingBytes` of images are
   * being sent at once, and one call is always let through.
   */
  sending(bytes: number, signal?: AbortSignal): Promise<() => void>;
  /** Bytes of the distinct images currently held. */
  heldBytes(): number;
  /** Distinct images currently held. */
  size(): number;
}

export interface ImageTableOptions {
  images: ImageStore;
  /** `limits.inflightImageBytes`. */
  maxBytes: number;
  /** Image bytes in calls being sent at once; default 16 MiB (three 5 MB images, thousands of small frames). */
  maxSendingBytes?: number;
  /** Seconds a refused request is told to wait before trying again. */
  retryAfterSeconds?: number;
}

interface Held {
  image: StoredImage;
  leases: number;
}

/**
 * @example
 * const leased = await table.acquire(sha256)
 * if (!leased.ok) return leased.error
 * try { await call(leased.lease.image) } finally { leased.lease.release() }
 */
export function createImageTable(options: ImageTableOptions): ImageTable {
  const held = new Map<string, Held>();
  // Requests that name one image while it is being read share the read, so it is in memory once.
  const loading = new Map<string, Promise<StoredImage | undefined>>();
  const load = (sha256: string): Promise<StoredImage | undefined> => {
    let pending = loading.get(sha256);
    if (!pending) {
      pending = Promise.resolve(options.images.get(sha256)).finally(() => loading.delete(sha256));
      loading.set(sha256, pending);
    }
    return pending;
  };
  let bytes = 0;
  const maxSending = options.maxSendingBytes ?? 16 * 1024 * 1024;
  let sendingBytes = 0;
  let sendingCalls = 0;
  const waiting: { bytes: number; admit: () => void }[] = [];
  const admitWaiting = () => {
    for (
      let next = waiting[0];
      next && (sendingCalls === 0 || sendingBytes + next.bytes <= maxSending);
      next = waiting[0]
    ) {
      waiting.shift();
      next.admit();
    }
  };
  const lease = (sha256: string, entry: Held): ImageLease => {
    entry.leases += 1;
    let released = false;
    return {
      image: entry.image,
      release() {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.leases === 0 && held.get(sha256) === entry) {
          held.delete(sha256);
          bytes -= entry.image.data.byteLength;
        }
      },
    };
  };
  return {
    async acquire(sha256, inline) {
      const shared = held.get(sha256);
      if (shared) return { ok: true, lease: lease(sha256, shared) };
      const image = inline ?? (await load(sha256));
      const loadedMeanwhile = held.get(sha256);
      if (loadedMeanwhile) return { ok: true, lease: lease(sha256, loadedMeanwhile) };
      if (!image) {
        return {
          ok: false,
          error: new GatewayError(
            'internal_error',
            `image ${sha256} vanished from the image store`,
          ),
        };
      }
      const size = image.data.byteLength;
      // An empty table always admits one image, so a bound below one image's size still serves.
      if (held.size > 0 && bytes + size > options.maxBytes) {
        return {
          ok: false,
          error: new GatewayError(
            'rate_limited',
            `the gateway holds ${bytes} bytes of images for queued and in-flight calls (limits.inflightImageBytes ${options.maxBytes}); try again shortly`,
            {
              bound: 'limits.inflightImageBytes',
              limit: options.maxBytes,
              heldBytes: bytes,
              imageBytes: size,
            },
            options.retryAfterSeconds ?? 1,
          ),
        };
      }
      const entry: Held = { image, leases: 0 };
      held.set(sha256, entry);
      bytes += size;
      return { ok: true, lease: lease(sha256, entry) };
    },
    sending(size, signal) {
      return new Promise((resolve, reject) => {
        const waiter = {
          bytes: size,
          admit() {
            signal?.removeEventListener('abort', abandon);
            sendingBytes += size;
            sendingCalls += 1;
            let done = false;
            resolve(() => {
              if (done) return;
              done = true;
              sendingBytes -= size;
              sendingCalls -= 1;
              admitWaiting();
            });
          },
        };
        const abandon = () => {
          const index = waiting.indexOf(waiter);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal?.reason);
        };
        if (signal?.aborted) return abandon();
        signal?.addEventListener('abort', abandon, { once: true });
        waiting.push(waiter);
        admitWaiting();
      });
    },
    heldBytes: () => bytes,
    size: () => held.size,
  };
}

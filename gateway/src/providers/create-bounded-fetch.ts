import type { FetchFunction } from './openai/create-recording-fetch.ts';

/** Bytes of an oversized answer kept for the error message and the audit log. */
const excerptBytes = 2048;

/** An upstream answer that passed the byte limit; the read was stopped there. */
export class UpstreamBodyTooLargeError extends Error {
  readonly status: number;
  readonly maxBytes: number;
  /** Bytes received before the read stopped. */
  readonly bytesRead: number;
  /** The size the upstream declared in Content-Length, if it did. */
  readonly declaredBytes: number | undefined;
  /** The first bytes of the answer, as text. */
  readonly excerpt: string;

  constructor(fields: { status: number; maxBytes: number; bytesRead: number; declaredBytes?: number; excerpt: string }) {
    const size =
      fields.declaredBytes !== undefined
        ? `it declared ${fields.declaredBytes} bytes`
        : `the read was stopped after ${fields.bytesRead} bytes`;
    super(
      `the upstream answer (HTTP ${fields.status}) was too large: over ${fields.maxBytes} bytes (limits.upstreamResponseBytes); ${size}`,
    );
    this.name = 'UpstreamBodyTooLargeError';
    this.status = fields.status;
    this.maxBytes = fields.maxBytes;
    this.bytesRead = fields.bytesRead;
    this.declaredBytes = fields.declaredBytes;
    this.excerpt = fields.excerpt;
  }

  /** What the audit log keeps in place of the body. */
  toRawBody(): Record<string, unknown> {
    return {
      truncated: true,
      maxBytes: this.maxBytes,
      bytesRead: this.bytesRead,
      ...(this.declaredBytes !== undefined ? { declaredBytes: this.declaredBytes } : {}),
      excerpt: this.excerpt,
    };
  }
}

/** Finds an {@link UpstreamBodyTooLargeError} however the SDK wrapped it. */
export function findBodyTooLarge(error: unknown): UpstreamBodyTooLargeError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (current instanceof UpstreamBodyTooLargeError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Wraps fetch so no answer body is read past `maxBytes`: the body is counted as it streams and the
 * read is aborted (closing the connection) the moment it passes the limit, or after a short excerpt
 * when Content-Length already says it will. Whoever reads the body (an SDK's `json()` or `text()`)
 * then fails with {@link UpstreamBodyTooLargeError}, so at most `maxBytes` are ever held.
 */
export function createBoundedFetch(inner: FetchFunction, maxBytes: number): FetchFunction {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const declaredHeader = response.headers.get('content-length');
    const declared = declaredHeader !== null && /^\d+$/.test(declaredHeader) ? Number(declaredHeader) : undefined;
    const oversized = declared !== undefined && declared > maxBytes;
    const limit = oversized ? excerptBytes : maxBytes;
    const reader = response.body.getReader();
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let bytesRead = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          controller.error(error);
          return;
        }
        if (chunk.done) {
          if (oversized) controller.error(tooLarge());
          else controller.close();
          return;
        }
        const value = chunk.value;
        bytesRead += value.byteLength;
        if (headBytes < excerptBytes) {
          const kept = value.subarray(0, excerptBytes - headBytes);
          head.push(kept);
          headBytes += kept.byteLength;
        }
        if (bytesRead > limit || (oversized && headBytes >= excerptBytes)) {
          const error = tooLarge();
          reader.cancel(error).catch(() => undefined);
          controller.error(error);
          return;
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    function tooLarge(): UpstreamBodyTooLargeError {
      return new UpstreamBodyTooLargeError({
        status: response.status,
        maxBytes,
        bytesRead,
        ...(oversized ? { declaredBytes: declared } : {}),
        excerpt: Buffer.concat(head).toString('utf8'),
      });
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

import { GatewayApiError } from '../errors/gateway-api-error.js';
import type { Transport } from './transport.js';

/** The subset of `fetch` the client uses, so test doubles and other runtimes' fetch fit. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Adapts a caller's `fetch` (a proxy-aware one, a test double) to the transport shape. */
export function createFetchTransport(fetchFunction: FetchFunction): Transport {
  return {
    async send({ method, url, headers, body, timeoutMs }) {
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await fetchFunction(url, {
          method,
          headers,
          ...(body !== undefined ? { body: body as BodyInit } : {}),
          signal,
        });
      } catch (error) {
        throw toTransportError(error, signal, method, url);
      }
      const guard = <T>(read: () => Promise<T>) =>
        read().catch((error: unknown) => {
          throw toTransportError(error, signal, method, url);
        });
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        text: () => guard(() => response.text()),
        bytes: () => guard(async () => new Uint8Array(await response.arrayBuffer())),
        async *chunks() {
          if (!response.body) return;
          // Node's ReadableStream is async-iterable; the DOM lib types do not say so.
          yield* response.body as unknown as AsyncIterable<Uint8Array>;
        },
      };
    },
    close: async () => {},
  };
}

function toTransportError(
  error: unknown,
  signal: AbortSignal,
  method: string,
  url: string,
): GatewayApiError {
  const timedOut = signal.aborted;
  const reason = error instanceof Error ? error.message : String(error);
  return new GatewayApiError({
    code: timedOut ? 'timeout' : 'network_error',
    message: `${method} ${url}: ${timedOut ? 'no answer in time' : reason}`,
    status: 0,
    cause: error,
  });
}

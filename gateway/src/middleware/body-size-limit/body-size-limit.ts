import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

/**
 * Refuses bodies over `maxBytes` with `413 payload_too_large`.
 *
 * Hono's `bodyLimit` reads `c.req.raw.body`, which makes @hono/node-server build a full web
 * `Request` and stream the body through it: about a third of the CPU of a cache hit. A body that
 * declares its length is judged by the header alone, and the route then reads it directly from
 * the socket; only a chunked body goes through Hono's counting reader.
 *
 * @example
 * app.use('/v1/*', bodySizeLimit({ maxBytes: 8 * 1024 * 1024 }))
 */
export function bodySizeLimit(options: { maxBytes: number }): MiddlewareHandler<GatewayEnv> {
  const tooLarge = (): never => {
    throw new GatewayError(
      'payload_too_large',
      `the request body is larger than ${options.maxBytes} bytes (server.bodyLimitBytes)`,
    );
  };
  const streamed = bodyLimit({ maxSize: options.maxBytes, onError: tooLarge });
  return async function bodySizeLimit(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(declared)) {
      if (Number(declared) > options.maxBytes) tooLarge();
      return next();
    }
    return streamed(c, next);
  };
}

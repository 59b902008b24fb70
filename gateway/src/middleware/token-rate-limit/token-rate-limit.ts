import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { TokenBucket } from '../../scheduling/token-bucket.ts';
import { createTokenBucket } from '../../scheduling/token-bucket.ts';
import type { GatewayEnv } from '../../app-env.ts';

export interface TokenRateLimitOptions {
  requestsPerMinute: number;
  now: () => number;
}

/**
 * Limits each bearer token's request rate, so one runaway trainer cannot starve the others.
 * Runs after authentication, which names the token.
 *
 * @example
 * app.use('/v1/*', tokenRateLimit({ requestsPerMinute: 6000, now: () => performance.now() }))
 */
export function tokenRateLimit(options: TokenRateLimitOptions): MiddlewareHandler<GatewayEnv> {
  const buckets = new Map<string, TokenBucket>();
  return async function tokenRateLimit(c, next) {
    const name = c.get('requestContext').tokenName ?? 'anonymous';
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = createTokenBucket({ perMinute: options.requestsPerMinute, now: options.now });
      buckets.set(name, bucket);
    }
    const waitMs = bucket.take(1);
    if (waitMs > 0) {
      throw new GatewayError(
        'rate_limited',
        `token "${name}" is over its ${options.requestsPerMinute} requests per minute (auth.requestsPerMinute)`,
        { token: name },
        Math.max(1, Math.ceil(waitMs / 1000)),
      );
    }
    await next();
  };
}

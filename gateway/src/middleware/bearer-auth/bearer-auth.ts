import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

export interface BearerAuthOptions {
  /** Accepted tokens by name; the name (never the token) goes into the audit log. */
  tokens: Map<string, string>;
}

/**
 * Requires `Authorization: Bearer <token>` on every request it guards. Tokens are compared as
 * sha256 digests with `timingSafeEqual`, so neither their content nor their length leaks
 * through response timing.
 *
 * @example
 * app.use('/v1/*', bearerAuth({ tokens: new Map([['trainer', process.env.GATEWAY_TOKEN]]) }))
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<GatewayEnv> {
  const digests = [...options.tokens].map(([name, token]) => ({ name, digest: digest(token) }));
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const presented = match ? digest(match[1] ?? '') : undefined;
    let name: string | undefined;
    for (const candidate of digests) {
      // Compare against every token so the time taken does not say which one matched.
      if (presented && timingSafeEqual(presented, candidate.digest)) name = candidate.name;
    }
    if (name === undefined) {
      throw new GatewayError('unauthorized', 'a valid "Authorization: Bearer <token>" header is required');
    }
    c.set('requestContext', { ...c.get('requestContext'), tokenName: name });
    await next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

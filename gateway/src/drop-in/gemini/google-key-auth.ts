import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv } from '../../app-env.ts';
import { GatewayError } from '../../errors/gateway-error.ts';

/**
 * Google's clients send their API key as `x-goog-api-key` (or `?key=`): the gateway token goes
 * there. `Authorization: Bearer` is accepted too. Compared as sha256 digests in constant time,
 * as bearerAuth does.
 *
 * @example
 * app.use('/v1beta/*', googleKeyAuth({ tokens: new Map([['trainer', 'secret']]) }))
 */
export function googleKeyAuth(options: { tokens: Map<string, string> }): MiddlewareHandler<GatewayEnv> {
  const digests = [...options.tokens].map(([name, token]) => ({ name, digest: digest(token) }));
  return async function googleKeyAuth(c, next) {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const presented = c.req.header('x-goog-api-key') ?? c.req.query('key') ?? bearer;
    const presentedDigest = presented ? digest(presented) : undefined;
    let name: string | undefined;
    for (const candidate of digests) {
      if (presentedDigest && timingSafeEqual(presentedDigest, candidate.digest)) name = candidate.name;
    }
    if (name === undefined) {
      throw new GatewayError('unauthorized', 'a valid gateway token is required as the API key (x-goog-api-key header or ?key=)');
    }
    c.get('requestContext').tokenName = name;
    await next();
    return undefined;
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

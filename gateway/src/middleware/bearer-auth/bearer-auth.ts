import { createHash, timingSafeEqual } from 'node:crypto';
import type { HonoRequest, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

export interface BearerAuthOptions {
  /** Accepted tokens by name; the name (never the token) goes into the audit log. */
  tokens: Map<string, string>;
  /**
   * Browsers cannot add an Authorization header to page loads or `<img>` requests, so pages
   * carry the token in this HttpOnly cookie instead.
   */
  cookie?: {
    name: string;
    /** Where the cookie counts; elsewhere only the header does. Default: everywhere guarded. */
    accept?: (request: HonoRequest) => boolean;
    /**
     * Take the token once from `?token=`: set the cookie and redirect to the same URL without
     * it, so the token does not linger in the address bar, history or Referer headers.
     */
    fromQuery?: boolean;
  };
}

/**
 * Requires `Authorization: Bearer <token>` (or, where configured, the token cookie) on every
 * request it guards. Tokens are compared as sha256 digests with `timingSafeEqual`, so neither
 * their content nor their length leaks through response timing.
 *
 * @example
 * app.use('/v1/*', bearerAuth({ tokens: new Map([['trainer', process.env.GATEWAY_TOKEN]]) }))
 * app.use('/ui/*', bearerAuth({ tokens, cookie: { name: 'gateway_token', fromQuery: true } }))
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<GatewayEnv> {
  const digests = [...options.tokens].map(([name, token]) => ({ name, digest: digest(token) }));
  const { cookie } = options;
  const find = (token: string | undefined): string | undefined => {
    const presented = token ? digest(token) : undefined;
    let name: string | undefined;
    for (const candidate of digests) {
      // Compare against every token so the time taken does not say which one matched.
      if (presented && timingSafeEqual(presented, candidate.digest)) name = candidate.name;
    }
    return name;
  };
  return async function bearerAuth(c, next) {
    const queryToken = cookie?.fromQuery ? c.req.query('token') : undefined;
    if (cookie && queryToken !== undefined) {
      if (find(queryToken) === undefined) throw unauthorized(true);
      const url = new URL(c.req.url);
      setCookie(c, cookie.name, queryToken, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
        secure: url.protocol === 'https:',
      });
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const fromCookie =
      !match && cookie && (cookie.accept?.(c.req) ?? true) ? getCookie(c, cookie.name) : undefined;
    const name = find(match ? match[1] : fromCookie);
    if (name === undefined) throw unauthorized(cookie !== undefined);
    // Set in place: spreading the context would read its lazily made abort signal.
    c.get('requestContext').tokenName = name;
    await next();
    return undefined;
  };
}

function unauthorized(cookie: boolean): GatewayError {
  return new GatewayError(
    'unauthorized',
    cookie
      ? 'a valid "Authorization: Bearer <token>" header is required; in a browser, open /ui?token=<token> once'
      : 'a valid "Authorization: Bearer <token>" header is required',
  );
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

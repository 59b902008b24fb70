import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

/**
 * Refuses requests a browser makes on behalf of another site's page, unless that site's origin is
 * in `allowedOrigins` (`*`: any). Without it any web page could spend provider quota with a
 * `text/plain` POST or read the audit log. Browsers say where a request comes from in `Origin`
 * and `Sec-Fetch-Site`; trainers, scripts and curl send neither and are not affected. Following a
 * link to the viewer (a top-level GET navigation) stays allowed: the page opens, nothing leaks.
 *
 * @example
 * app.use('*', crossOriginGuard({ allowedOrigins: ['http://localhost:5173'] }))
 */
export function crossOriginGuard(options: { allowedOrigins: string[] }): MiddlewareHandler<GatewayEnv> {
  const any = options.allowedOrigins.includes('*');
  const allowed = new Set(options.allowedOrigins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  return async function crossOriginGuard(c, next) {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const navigation = c.req.header('sec-fetch-mode') === 'navigate' && (c.req.method === 'GET' || c.req.method === 'HEAD');
    const foreignOrigin = origin !== undefined && !sameHost(origin, c.req.url);
    const foreignSite = (site === 'cross-site' || site === 'same-site') && !navigation;
    if ((foreignOrigin || foreignSite) && !any && !(origin !== undefined && allowed.has(origin.toLowerCase()))) {
      throw new GatewayError(
        'forbidden',
        `cross-origin requests from ${origin ? `"${origin}"` : 'another site'} are refused; add the origin to server.allowedOrigins to allow it`,
        { ...(origin !== undefined ? { origin } : {}), ...(site !== undefined ? { secFetchSite: site } : {}) },
      );
    }
    await next();
  };
}

/** `Origin: null` (sandboxed frames, files) and unparsable origins are foreign. */
function sameHost(origin: string, requestUrl: string): boolean {
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}

import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { GatewayEnv } from '../../app-env.ts';

const loopbackNames = ['localhost', '127.0.0.1', '::1'];

/**
 * The hosts a gateway answers to when `server.allowedHosts` is not set: bound to a loopback
 * address, only loopback names (a DNS-rebinding page reaches it under its own name and is refused);
 * bound elsewhere, any name (`undefined`), since the operator chose to expose it.
 *
 * @example
 * defaultAllowedHosts('127.0.0.1') // ['localhost', '127.0.0.1', '::1']
 */
export function defaultAllowedHosts(bindHost: string): string[] | undefined {
  const host = stripBrackets(bindHost.toLowerCase());
  const loopback = loopbackNames.includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? [...new Set([...loopbackNames, host])] : undefined;
}

/**
 * Refuses requests whose `Host` is not one of `hosts` with `403 forbidden` (`*` allows any). DNS
 * rebinding points an attacker's name at 127.0.0.1, so the browser lets its page read the
 * answers; the name it sends in `Host` is still the attacker's.
 *
 * @example
 * app.use('*', hostAllowList({ hosts: ['localhost', '127.0.0.1', '::1'] }))
 */
export function hostAllowList(options: { hosts: string[] }): MiddlewareHandler<GatewayEnv> {
  const any = options.hosts.includes('*');
  const allowed = new Set(options.hosts.map((host) => stripBrackets(host.toLowerCase())));
  return async function hostAllowList(c, next) {
    // @hono/node-server builds the URL from the Host header; app.request() from its argument.
    const host = stripBrackets(new URL(c.req.url).hostname.toLowerCase());
    if (!any && !allowed.has(host)) {
      throw new GatewayError(
        'forbidden',
        `this gateway does not answer to the host name "${host}"; add it to server.allowedHosts to allow it`,
        { host, allowed: [...allowed] },
      );
    }
    await next();
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

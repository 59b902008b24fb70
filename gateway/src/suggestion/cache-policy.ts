import type { CacheControl } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';

/** What one request may do with the cache and upstream. */
export interface CachePolicy {
  /** A stored answer may answer it (and concurrent identical requests share one call). */
  read: boolean;
  /** A fetched answer is stored. */
  write: boolean;
  /** A fetched answer replaces what is stored under its slot. */
  replace: boolean;
  /** It may go upstream; when not, a miss is `not_cached`. */
  upstream: boolean;
}

/**
 * Step 3, the cache policy: a pure function of the gateway's mode and the request's control.
 *
 * | mode \ control | default       | refresh        | bypass   | only       |
 * | live           | read, write   | write, replace | upstream | read       |
 * | record         | write, replace| write, replace | upstream | —          |
 * | replay         | read          | —              | —        | read       |
 * | off            | upstream      | upstream       | upstream | —          |
 */
export function cachePolicy(
  mode: GatewayConfig['cache']['mode'],
  control: CacheControl,
): CachePolicy {
  const read =
    (mode === 'live' || mode === 'replay') && (control === 'default' || control === 'only');
  const write =
    (mode === 'live' || mode === 'record') && (control === 'default' || control === 'refresh');
  return {
    read,
    write,
    replace: write && (mode === 'record' || control === 'refresh'),
    upstream: mode !== 'replay' && control !== 'only',
  };
}

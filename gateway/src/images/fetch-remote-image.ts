import { GatewayError } from '../errors/gateway-error.ts';
import type { ImageLimits } from './check-image-limits.ts';

/** Downloads bytes; the gateway passes an undici-based one, tests a fake. */
export type FetchBytes = (url: URL, options: { signal: AbortSignal; maxBytes: number }) => Promise<Uint8Array>;

/**
 * Fetches an https image URL, but only from a host the config allows, so a client can never make
 * the gateway reach an address its operator did not name (no requests to internal services).
 */
export async function fetchRemoteImage(
  input: string,
  limits: ImageLimits,
  fetchBytes: FetchBytes | undefined,
  where = 'observation.image',
): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new GatewayError('invalid_request', `${where}: not a valid URL`);
  }
  if (url.protocol !== 'https:' || !limits.imageHosts.includes(url.hostname) || !fetchBytes) {
    throw new GatewayError(
      'invalid_request',
      `${where}: image URLs are fetched only over https from hosts named in limits.imageHosts (not "${url.hostname}"); send the bytes as a data URL instead`,
      { host: url.hostname, allowed: limits.imageHosts },
    );
  }
  const signal = AbortSignal.timeout(limits.imageFetchTimeoutMs);
  try {
    return await fetchBytes(url, { signal, maxBytes: limits.imageBytes });
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    if (signal.aborted || (error as Error).name === 'TimeoutError') {
      // The image host was slow, not the request wrong: a gateway timeout, worth retrying.
      throw new GatewayError(
        'provider_timeout',
        `${where}: ${url.hostname} did not send the image within ${limits.imageFetchTimeoutMs} ms (limits.imageFetchTimeoutMs)`,
        { host: url.hostname, timeoutMs: limits.imageFetchTimeoutMs },
      );
    }
    throw new GatewayError('invalid_request', `${where}: could not fetch ${url.hostname}: ${(error as Error).message}`);
  }
}

import { request } from 'undici';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from './fetch-remote-image.ts';

/** Downloads with undici (no redirects), stopping as soon as the body passes `maxBytes`. */
export function createFetchBytes(): FetchBytes {
  return async (url, { signal, maxBytes }) => {
    // undici's request does not follow redirects unless asked, so an allowed host cannot bounce us elsewhere.
    const response = await request(url, { method: 'GET', signal });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`HTTP ${response.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new GatewayError('payload_too_large', `the image at ${url.hostname} is over ${maxBytes} bytes (limits.imageBytes)`);
      }
      chunks.push(chunk as Buffer);
    }
    return new Uint8Array(Buffer.concat(chunks));
  };
}

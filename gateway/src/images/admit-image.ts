import { createHash } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.ts';
import type { StoredImage } from '../stores/image-store.ts';
import type { ImageLimits } from './check-image-limits.ts';
import { checkImageLimits } from './check-image-limits.ts';
import { sniffMediaType } from './decode-image.ts';

/**
 * Every way an image enters the gateway (an upload, a suggestion's observation, a drop-in
 * message) ends here: the media type read from the bytes, never from what the sender claimed,
 * the size limits checked from the header, and the sha256 of the bytes as its name, so the same
 * pixels get the same name and cache key however they were sent. `where` prefixes refusals
 * (`observation.image`, `messages[0].content[1].image_url`).
 */
export function admitImage(data: Uint8Array, limits: ImageLimits, where?: string): StoredImage {
  const mediaType = sniffMediaType(data);
  if (!mediaType) {
    const message = 'the image is not a PNG, JPEG or WebP file';
    throw new GatewayError('invalid_request', where ? `${where}: ${message}` : message);
  }
  checkImageLimits({ mediaType, data }, limits);
  return { sha256: createHash('sha256').update(data).digest('hex'), mediaType, data };
}

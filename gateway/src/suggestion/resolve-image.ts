/**
 * @module
 * Step 1, resolve the image: a request's image becomes a reference by sha256. Bytes the request
 * brought (data URL, base64, allow-listed URL) are checked and stored; a stored image is only
 * looked up, and its bytes are read when a call needs them, once, through the image table.
 */
import { createHash } from 'node:crypto';
import type { SuggestionRequest } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { checkImageLimits } from '../images/check-image-limits.ts';
import { decodeImage, sniffMediaType } from '../images/decode-image.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import { fetchRemoteImage } from '../images/fetch-remote-image.ts';
import type { ImageStore, StoredImage } from '../stores/image-store.ts';
import type { DurableWrites } from './durable-writes.ts';

/** An image by hash; `inline` holds the bytes when the request brought them. */
export interface ImageRef {
  sha256: string;
  inline?: StoredImage;
}

export type ResolvedImage =
  { ok: true; image: ImageRef | undefined } | { ok: false; error: GatewayError };

export interface ResolveImageDependencies {
  limits: GatewayConfig['limits'];
  images: ImageStore;
  fetchImage: FetchBytes | undefined;
}

export async function resolveImage(
  request: SuggestionRequest,
  dependencies: ResolveImageDependencies,
  writes: DurableWrites,
): Promise<ResolvedImage> {
  const input = request.observation.image;
  if (input === undefined) return { ok: true, image: undefined };
  if (typeof input !== 'string') {
    if (await dependencies.images.has(input.sha256)) return { ok: true, image: { sha256: input.sha256 } };
    const message = `no image with sha256 ${input.sha256}: upload it first (POST /v1/images)`;
    return { ok: false, error: new GatewayError('not_found', message, { sha256: input.sha256 }) };
  }
  try {
    let decoded = decodeImage(input);
    if (!decoded.ok && /^https?:\/\//i.test(input)) {
      const bytes = await fetchRemoteImage(input, dependencies.limits, dependencies.fetchImage);
      const mediaType = sniffMediaType(bytes);
      decoded = mediaType
        ? { ok: true, value: { mediaType, data: bytes } }
        : { ok: false, reason: 'the fetched file is not a PNG, JPEG or WebP image' };
    }
    if (!decoded.ok) {
      return {
        ok: false,
        error: new GatewayError('invalid_request', `observation.image: ${decoded.reason}`),
      };
    }
    checkImageLimits(decoded.value, dependencies.limits);
    const sha256 = createHash('sha256').update(decoded.value.data).digest('hex');
    const image = { ...decoded.value, sha256 };
    writes.add(dependencies.images.put(image));
    return { ok: true, image: { sha256, inline: image } };
  } catch (error) {
    // The image helpers speak in GatewayErrors (size limits, fetch refusals); anything else is ours.
    if (error instanceof GatewayError) return { ok: false, error };
    throw error;
  }
}

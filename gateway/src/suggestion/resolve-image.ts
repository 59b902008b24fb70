/**
 * @module
 * Step 1, resolve the image: a request's image becomes a reference by sha256. Bytes the request
 * brought (data URL, base64, allow-listed URL) are checked and stored; a stored image is only
 * looked up, and its bytes are read when a call needs them, once, through the image table.
 */
import type { SuggestionRequest } from '@teacher-gateway/client';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import { readImageInput } from '../images/read-image-input.ts';
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
    const image = await readImageInput(input, 'observation.image', dependencies.limits, dependencies.fetchImage);
    writes.add(dependencies.images.put(image));
    return { ok: true, image: { sha256: image.sha256, inline: image } };
  } catch (error) {
    // The image helpers speak in GatewayErrors (size limits, fetch refusals); anything else is ours.
    if (error instanceof GatewayError) return { ok: false, error };
    throw error;
  }
}

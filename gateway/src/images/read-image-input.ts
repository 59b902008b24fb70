import { GatewayError } from '../errors/gateway-error.ts';
import type { StoredImage } from '../stores/image-store.ts';
import { admitImage } from './admit-image.ts';
import type { ImageLimits } from './check-image-limits.ts';
import { decodeImage } from './decode-image.ts';
import type { FetchBytes } from './fetch-remote-image.ts';
import { fetchRemoteImage } from './fetch-remote-image.ts';

/**
 * An image given as text, as suggestions and OpenAI messages give it: a data URL, bare base64,
 * or an https URL on an allow-listed host (fetched within the limits). Refusals are
 * GatewayErrors that start with `where`, the field that held the image.
 */
export async function readImageInput(
  input: string,
  where: string,
  limits: ImageLimits,
  fetchImage: FetchBytes | undefined,
): Promise<StoredImage> {
  const decoded = decodeImage(input);
  if (decoded.ok) return admitImage(decoded.value.data, limits, where);
  if (/^https?:\/\//i.test(input)) {
    return admitImage(await fetchRemoteImage(input, limits, fetchImage, where), limits, where);
  }
  throw new GatewayError('invalid_request', `${where}: ${decoded.reason}`);
}

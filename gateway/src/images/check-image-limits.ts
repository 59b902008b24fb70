import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { DecodedImage } from './decode-image.ts';
import { readImageSize } from './read-image-size.ts';

export type ImageLimits = GatewayConfig['limits'];

/**
 * Refuses images over the configured byte size or pixel dimensions, reading the size from the
 * header so nothing large is ever decoded. Each refusal names the limit and its config field.
 */
export function checkImageLimits(image: DecodedImage, limits: ImageLimits): void {
  if (image.data.length > limits.imageBytes) {
    throw new GatewayError(
      'payload_too_large',
      `the image is ${image.data.length} bytes; the limit is ${limits.imageBytes} (limits.imageBytes)`,
      { limit: 'limits.imageBytes', bytes: image.data.length, max: limits.imageBytes },
    );
  }
  const size = readImageSize(image.mediaType, image.data);
  if (!size || size.width === 0 || size.height === 0) {
    throw new GatewayError('invalid_request', `the ${image.mediaType} image has a malformed header`);
  }
  if (size.width > limits.imageMaxSide || size.height > limits.imageMaxSide) {
    throw new GatewayError(
      'payload_too_large',
      `the image is ${size.width}x${size.height}; no side may exceed ${limits.imageMaxSide} pixels (limits.imageMaxSide)`,
      { limit: 'limits.imageMaxSide', ...size, max: limits.imageMaxSide },
    );
  }
  if (size.width * size.height > limits.imagePixels) {
    throw new GatewayError(
      'payload_too_large',
      `the image has ${size.width * size.height} pixels; the limit is ${limits.imagePixels} (limits.imagePixels)`,
      { limit: 'limits.imagePixels', ...size, max: limits.imagePixels },
    );
  }
}

import { encode } from 'fast-png';
import type { RgbImage } from './rgb-image.js';

/**
 * PNG bytes of an RGB frame. Encoding is deterministic, so the same frame always hashes to the
 * same sha256 and hits the same cache entry.
 */
export function encodeRgbPng(image: RgbImage): Uint8Array {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`width and height must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(
      `expected ${width * height * 3} bytes for ${width}x${height} RGB, got ${data.length}`,
    );
  }
  return encode({ width, height, data, channels: 3, depth: 8 });
}

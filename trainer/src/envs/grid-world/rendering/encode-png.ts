import { encode } from 'fast-png';
import type { RgbImage } from './render-grid.ts';

/** An 8-bit RGB PNG of the image. */
export function encodePng(image: RgbImage): Uint8Array {
  return encode({
    width: image.width,
    height: image.height,
    data: image.data,
    channels: 3,
    depth: 8,
  });
}

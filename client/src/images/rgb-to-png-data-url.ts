import { encodeRgbPng } from './encode-rgb-png.js';
import type { RgbImage } from './rgb-image.js';

/** `data:image/png;base64,...` for an RGB frame, ready for `observation.image`. */
export function rgbToPngDataUrl(image: RgbImage): string {
  return `data:image/png;base64,${Buffer.from(encodeRgbPng(image)).toString('base64')}`;
}

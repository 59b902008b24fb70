import { encodePng } from './encode-png.ts';
import type { RgbImage } from './render-grid.ts';

/** `data:image/png;base64,...`, the form OpenAI-style chat APIs accept as an image URL. */
export function toPngDataUrl(image: RgbImage): string {
  return `data:image/png;base64,${Buffer.from(encodePng(image)).toString('base64')}`;
}

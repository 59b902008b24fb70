import { decodePng } from './decode-png.ts';
import type { RgbImage } from './render-grid.ts';

/** The image in a `data:image/png;base64,...` URL. Throws on other URLs or undecodable data. */
export function decodePngDataUrl(url: string): RgbImage {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/=\s]*)$/.exec(url);
  if (match === null) throw new Error('not a base64 PNG data URL');
  return decodePng(new Uint8Array(Buffer.from(match[1]!, 'base64')));
}

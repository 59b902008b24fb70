import { decodePngDataUrl } from '../../envs/grid-world/rendering/decode-png-data-url.ts';
import { readGridPicture } from '../../envs/grid-world/rendering/read-grid-picture.ts';
import type { GridPictureReadResult } from '../../envs/grid-world/rendering/read-grid-picture.ts';

/** The grid drawn in a PNG data URL, or why it cannot be read. Never throws. */
export function readPictureUrl(url: string): GridPictureReadResult {
  let image;
  try {
    image = decodePngDataUrl(url);
  } catch (error) {
    return {
      ok: false,
      reason: `cannot decode the image: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const reading = readGridPicture(image);
  return reading.ok ? reading : { ok: false, reason: `cannot read the image: ${reading.reason}` };
}

const onePixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A valid 1x1 PNG data URL whose bytes (and so sha256) differ for every index. */
export function distinctPng(index: number): string {
  // Decoders ignore bytes after the IEND chunk; the hash does not.
  return `data:image/png;base64,${Buffer.concat([onePixel, Buffer.from(`#${index}`)]).toString('base64')}`;
}

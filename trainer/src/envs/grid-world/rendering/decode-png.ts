import { decode } from 'fast-png';
import type { RgbImage } from './render-grid.ts';

/**
 * Any PNG as 8-bit RGB: alpha is dropped (not composited: rendered frames are opaque), grey is
 * replicated, palettes are looked up and 16-bit samples keep their high byte.
 * Throws when the bytes are not a decodable PNG.
 */
export function decodePng(bytes: Uint8Array | ArrayBuffer): RgbImage {
  const png = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  const { width, height, depth, channels, data, palette } = png;
  // Our own renders (8-bit RGB) need no conversion; the general loop below costs as much as the
  // inflate for every teacher image the simulated VLM reads.
  if (depth === 8 && palette === undefined && channels === 3 && data instanceof Uint8Array) {
    return { width, height, data };
  }
  // fast-png leaves depths below 8 packed, each row padded to a whole byte.
  const rowSamples = width * channels;
  const rowBytes = depth < 8 ? Math.ceil((rowSamples * depth) / 8) : rowSamples;
  const sample = (y: number, i: number): number => {
    if (depth >= 8) return data[y * rowBytes + i]!;
    const bit = i * depth;
    const byte = data[y * rowBytes + (bit >> 3)]!;
    return (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
  };
  const toByte =
    depth === 16
      ? (v: number) => v >> 8
      : depth < 8
        ? (v: number) => Math.round((v * 255) / ((1 << depth) - 1))
        : (v: number) => v;
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const i = x * channels;
      if (palette !== undefined) {
        const entry = palette[sample(y, i)] ?? [0, 0, 0];
        out[o] = entry[0] ?? 0;
        out[o + 1] = entry[1] ?? 0;
        out[o + 2] = entry[2] ?? 0;
      } else if (channels >= 3) {
        out[o] = toByte(sample(y, i));
        out[o + 1] = toByte(sample(y, i + 1));
        out[o + 2] = toByte(sample(y, i + 2));
      } else {
        const grey = toByte(sample(y, i));
        out[o] = grey;
        out[o + 1] = grey;
        out[o + 2] = grey;
      }
    }
  }
  return { width, height, data: out };
}

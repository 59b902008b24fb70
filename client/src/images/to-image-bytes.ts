import { encodeRgbPng } from './encode-rgb-png.js';
import type { ImageSource } from './image-source.js';

const dataUrlPattern = /^data:[^;,]+;base64,/;

/** The image file's bytes: what the gateway stores and hashes. */
export function toImageBytes(source: ImageSource): Uint8Array {
  if (typeof source === 'string') return Buffer.from(source.replace(dataUrlPattern, ''), 'base64');
  if (source instanceof Uint8Array) return source;
  return encodeRgbPng(source);
}

import type { RgbImage } from './rgb-image.js';

/** Anything the client accepts as an image: an RGB frame, PNG/JPEG/WebP file bytes, or a data URL / base64 string. */
export type ImageSource = RgbImage | Uint8Array | string;

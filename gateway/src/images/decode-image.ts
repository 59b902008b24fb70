import type { ParseResult } from '../parsing/parse-result.ts';

export interface DecodedImage {
  mediaType: 'image/png' | 'image/jpeg' | 'image/webp';
  data: Uint8Array;
}

const dataUrlPattern = /^data:([^;,]*)(;[^,]*)?,/;

/**
 * Decodes an image sent inline: a `data:` URL or bare base64. The media type comes from the
 * bytes' signature, not from what the sender claimed, so a hash always means the same pixels.
 * Remote URLs are refused here: fetching them is the caller's decision.
 */
export function decodeImage(input: string): ParseResult<DecodedImage> {
  let payload = input;
  const match = dataUrlPattern.exec(input);
  if (match) {
    if (!(match[2] ?? '').includes('base64')) {
      return { ok: false, reason: 'data URLs must be base64-encoded' };
    }
    payload = input.slice(match[0].length);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    return { ok: false, reason: 'image URLs are not fetched: send the bytes as a data URL or base64' };
  }
  const data = decodeStrictBase64(payload) ?? decodeLooseBase64(payload);
  if (!data) return { ok: false, reason: 'the image is not valid base64' };
  const mediaType = sniffMediaType(data);
  if (!mediaType) return { ok: false, reason: 'the image is not a PNG, JPEG or WebP file' };
  return { ok: true, value: { mediaType, data } };
}

/**
 * The common case (no whitespace, standard alphabet, padded) without scanning the string with
 * regular expressions: Node's decoder skips characters it does not know, so a decoded length
 * short of what the text's length implies means something else was there.
 */
function decodeStrictBase64(payload: string): Uint8Array | undefined {
  if (payload.length === 0 || payload.length % 4 !== 0) return undefined;
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  const buffer = Buffer.from(payload, 'base64');
  if (buffer.length !== (payload.length / 4) * 3 - padding) return undefined;
  // '-' and '_' (base64url) decode too; leave mixed alphabets to the careful path.
  if (payload.includes('-') || payload.includes('_')) return undefined;
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** Whitespace-wrapped, unpadded or base64url text, checked character by character. */
function decodeLooseBase64(input: string): Uint8Array | undefined {
  const payload = input.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload) || payload.length === 0) return undefined;
  return new Uint8Array(Buffer.from(payload, payload.includes('-') || payload.includes('_') ? 'base64url' : 'base64'));
}

/** Reads the file signature of the three formats VLM APIs accept everywhere. */
export function sniffMediaType(data: Uint8Array): DecodedImage['mediaType'] | undefined {
  if (data.length >= 8 && data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) {
    return 'image/png';
  }
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (
    data.length >= 12 &&
    String.fromCharCode(...data.subarray(0, 4)) === 'RIFF' &&
    String.fromCharCode(...data.subarray(8, 12)) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return undefined;
}

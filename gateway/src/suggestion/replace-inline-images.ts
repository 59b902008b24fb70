import { createHash } from 'node:crypto';

/** Long base64 runs: inline image data as OpenAI (data URLs) and Gemini (inlineData.data) send it. */
const dataUrlPattern = /^data:([^;,]+);base64,(.+)$/s;
const minimumInlineLength = 256;

/**
 * Copies a provider request body for the audit log with every inline image replaced by its
 * sha256, so the log stays small and the image is found in the image store.
 */
export function replaceInlineImages(body: unknown): unknown {
  if (typeof body === 'string') {
    const match = dataUrlPattern.exec(body);
    if (match) return `[image ${match[1]} sha256:${hashBase64(match[2] ?? '')}]`;
    if (body.length >= minimumInlineLength && /^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
      return `[image sha256:${hashBase64(body)}]`;
    }
    return body;
  }
  if (Array.isArray(body)) return body.map(replaceInlineImages);
  if (typeof body === 'object' && body !== null) {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, replaceInlineImages(value)]));
  }
  return body;
}

function hashBase64(base64: string): string {
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

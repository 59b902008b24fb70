import { createHash } from 'node:crypto';

/** The content address the gateway's image store uses: sha256 of the image file's bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

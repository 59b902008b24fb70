import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { admitImage } from '../images/admit-image.ts';
import { decodeImage } from '../images/decode-image.ts';
import type { FetchBytes } from '../images/fetch-remote-image.ts';
import { readImageInput } from '../images/read-image-input.ts';
import type { StoredImage } from '../stores/image-store.ts';
import type { Wire } from './wire.ts';

type Json = Record<string, unknown>;

export interface ResolvedImages {
  /** The body with every image inline (allowed https URLs fetched and turned into data URLs). */
  body: Json;
  /** Each distinct image, content-addressed, in order of appearance. */
  images: StoredImage[];
  /** The inline text of each image (data URL and bare base64) to its sha256, for keys and logs. */
  hashes: Map<string, string>;
}

export interface ResolveImagesOptions {
  limits: GatewayConfig['limits'];
  fetchImage?: FetchBytes;
}

/**
 * Finds every image in an OpenAI or Gemini request, checks it against the image limits and hashes
 * its decoded bytes, so the same pixels give the same cache key however they were sent.
 *
 * @example
 * const { images, hashes } = await resolveImages('openai', body, { limits })
 */
export async function resolveImages(wire: Wire, body: Json, options: ResolveImagesOptions): Promise<ResolvedImages> {
  const images = new Map<string, StoredImage>();
  const hashes = new Map<string, string>();
  // Distinct images once each, however many times a conversation repeats them.
  const add = (image: StoredImage): StoredImage => {
    const known = images.get(image.sha256) ?? image;
    images.set(image.sha256, known);
    return known;
  };
  let out = body;
  if (wire === 'openai' && Array.isArray(body.messages) && hasImageParts(body.messages)) {
    const messages = await Promise.all(
      (body.messages as unknown[]).map(async (message, index) => {
        const content = (message as Json | null)?.content;
        if (!Array.isArray(content)) return message;
        const parts = await Promise.all(
          content.map(async (part: unknown, partIndex) => {
            const record = part as Json | null;
            if (record?.type !== 'image_url') return part;
            const path = `messages[${index}].content[${partIndex}].image_url`;
            const imageUrl = record.image_url;
            const url = typeof imageUrl === 'string' ? imageUrl : String((imageUrl as Json | undefined)?.url ?? '');
            const image = add(await readImageInput(url, path, options.limits, options.fetchImage));
            if (/^https?:\/\//i.test(url)) {
              const dataUrl = `data:${image.mediaType};base64,${Buffer.from(image.data).toString('base64')}`;
              hashes.set(dataUrl, image.sha256);
              return { ...record, image_url: { ...(typeof imageUrl === 'object' ? imageUrl : {}), url: dataUrl } };
            }
            hashes.set(url, image.sha256);
            return part;
          }),
        );
        return { ...(message as Json), content: parts };
      }),
    );
    out = { ...body, messages };
  }
  if (wire === 'gemini' && Array.isArray(body.contents)) {
    (body.contents as unknown[]).forEach((content, index) => {
      const parts = (content as Json | null)?.parts;
      if (!Array.isArray(parts)) return;
      parts.forEach((part: unknown, partIndex) => {
        const record = part as Json | null;
        const path = `contents[${index}].parts[${partIndex}]`;
        if (record?.fileData !== undefined || record?.file_data !== undefined) {
          throw new GatewayError('invalid_request', `${path}.fileData: the gateway cannot address uploaded files by content; send the image as inlineData`);
        }
        const inline = (record?.inlineData ?? record?.inline_data) as Json | undefined;
        if (inline === undefined) return;
        const data = String(inline.data ?? '');
        const decoded = decodeImage(data);
        if (!decoded.ok) throw new GatewayError('invalid_request', `${path}.inlineData: ${decoded.reason}`);
        hashes.set(data, add(admitImage(decoded.value.data, options.limits, `${path}.inlineData`)).sha256);
      });
    });
  }
  for (const image of images.values()) {
    const base64 = Buffer.from(image.data).toString('base64');
    hashes.set(base64, image.sha256);
    hashes.set(`data:${image.mediaType};base64,${base64}`, image.sha256);
  }
  return { body: out, images: [...images.values()], hashes };
}

function hasImageParts(messages: unknown[]): boolean {
  return messages.some((message) => {
    const content = (message as Json | null)?.content;
    return Array.isArray(content) && content.some((part: unknown) => (part as Json | null)?.type === 'image_url');
  });
}

/** A copy of `value` with every inline image replaced by `sha256:<hex>`. */
export function replaceImages(value: unknown, hashes: Map<string, string>): unknown {
  if (hashes.size === 0) return value;
  if (typeof value === 'string') {
    const sha256 = hashes.get(value);
    return sha256 === undefined ? value : `sha256:${sha256}`;
  }
  if (Array.isArray(value)) return value.map((item) => replaceImages(item, hashes));
  if (typeof value === 'object' && value !== null) {
    const out: Json = {};
    for (const [key, member] of Object.entries(value)) out[key] = replaceImages(member, hashes);
    return out;
  }
  return value;
}

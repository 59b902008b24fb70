import { Hono } from 'hono';
import { ImageUploadSchema, Sha256Schema } from '@teacher-gateway/client';
import { GatewayError } from '../errors/gateway-error.ts';
import { admitImage } from '../images/admit-image.ts';
import type { ImageLimits } from '../images/check-image-limits.ts';
import { decodeImage } from '../images/decode-image.ts';
import type { ImageStore } from '../stores/image-store.ts';
import type { GatewayEnv } from '../app-env.ts';

/** `POST /v1/images` (raw bytes, a data URL, or `{ "image": ... }`) and `GET /v1/images/:sha256`. */
export function createImageRoutes(images: ImageStore, limits: ImageLimits, options: { authenticated?: boolean } = {}): Hono<GatewayEnv> {
  // Behind auth, shared caches (proxies, CDNs) must not keep an image for clients without a token.
  const cacheControl = `${options.authenticated ? 'private' : 'public'}, max-age=31536000, immutable`;
  const app = new Hono<GatewayEnv>();
  app.post('/v1/images', async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    let data: Uint8Array;
    if (contentType.startsWith('image/') || contentType === 'application/octet-stream') {
      data = new Uint8Array(await c.req.arrayBuffer());
    } else {
      const text = await c.req.text();
      let input = text.trim();
      if (contentType.includes('json')) {
        let parsedJson: unknown;
        try {
          parsedJson = JSON.parse(text);
        } catch {
          throw new GatewayError('invalid_request', 'the request body is not valid JSON');
        }
        const parsed = ImageUploadSchema.safeParse(parsedJson);
        if (!parsed.success) throw new GatewayError('invalid_request', 'expected { "image": "<data URL or base64>" }');
        input = parsed.data.image;
      }
      const decoded = decodeImage(input);
      if (!decoded.ok) throw new GatewayError('invalid_request', decoded.reason);
      data = decoded.value.data;
    }
    const image = admitImage(data, limits);
    const created = !(await images.has(image.sha256));
    await images.put(image);
    return c.json({ sha256: image.sha256, mediaType: image.mediaType, bytes: data.length, created }, created ? 201 : 200);
  });
  app.get('/v1/images/:sha256', async (c) => {
    const sha256 = c.req.param('sha256');
    if (!Sha256Schema.safeParse(sha256).success) {
      throw new GatewayError('invalid_request', 'expected a sha256 as 64 lower-case hex digits');
    }
    const image = await images.get(sha256);
    if (!image) throw new GatewayError('not_found', `no image with sha256 ${sha256}`, { sha256 });
    return c.body(Buffer.from(image.data), 200, {
      'content-type': image.mediaType,
      'cache-control': cacheControl,
    });
  });
  return app;
}

/**
 * @module
 * `POST /v1/images`: store an image once, refer to it by hash afterwards.
 */
import { z } from 'zod';
import { Sha256Schema } from './suggestion-request.js';

export const ImageUploadSchema = z
  .object({ image: z.string().min(1).describe('data URL or base64 of a PNG, JPEG or WebP image') })
  .strict()
  .meta({ id: 'ImageUpload' });

export const ImageStoredSchema = z
  .object({ sha256: Sha256Schema, mediaType: z.string(), bytes: z.number().int(), created: z.boolean() })
  .meta({ id: 'ImageStored' });

export type ImageStored = z.infer<typeof ImageStoredSchema>;

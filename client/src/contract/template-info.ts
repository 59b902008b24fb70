/**
 * @module
 * `GET /v1/templates` and `GET /v1/templates/:id`: the prompt templates the gateway loaded.
 */
import { z } from 'zod';
import { Sha256Schema } from './suggestion-request.js';

export const templateOutputFormats = ['choice', 'json-probabilities', 'json-vector'] as const;
export const templateInputs = ['image', 'text', 'state', 'actions'] as const;

export const TemplateInfoSchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    sha256: Sha256Schema,
    description: z.string(),
    inputs: z.array(z.enum(templateInputs)),
    output: z.enum(templateOutputFormats),
    packed: z.boolean().describe('several observations may share one upstream call'),
  })
  .meta({ id: 'TemplateInfo' });

export const TemplateDetailSchema = TemplateInfoSchema.extend({
  system: z.string().optional(),
  body: z.string(),
}).meta({ id: 'TemplateDetail' });

export const TemplatesResponseSchema = z
  .object({ templates: z.array(TemplateInfoSchema) })
  .meta({ id: 'TemplatesResponse' });

export type TemplateInfo = z.infer<typeof TemplateInfoSchema>;
export type TemplateDetail = z.infer<typeof TemplateDetailSchema>;
export type TemplateOutputFormat = (typeof templateOutputFormats)[number];
export type TemplateInput = (typeof templateInputs)[number];

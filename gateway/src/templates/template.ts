/**
 * @module
 * A prompt template as loaded from `prompts/`: YAML front matter plus a Mustache body.
 */
import { z } from 'zod';
import { templateInputs, templateOutputFormats } from '@teacher-gateway/client';

export const TemplateFrontMatterSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    version: z.number().int().min(1),
    description: z.string().min(1),
    inputs: z.array(z.enum(templateInputs)).min(1),
    output: z.enum(templateOutputFormats),
    system: z.string().optional(),
    packed: z.boolean().default(false),
  })
  .strict();

export type TemplateFrontMatter = z.infer<typeof TemplateFrontMatterSchema>;

export interface Template extends TemplateFrontMatter {
  body: string;
  /** sha256 of the whole file, so any edit changes cache keys. */
  sha256: string;
  /** Where it was loaded from, for error messages. */
  source: string;
}

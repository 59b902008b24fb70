/**
 * @module
 * `GET /v1/providers`: what is configured, and whether each provider can be called now.
 */
import { z } from 'zod';

export const ProviderInfoSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    model: z.string(),
    available: z.boolean(),
    /** Why the provider cannot be called, and what to do about it (e.g. the variable to set). */
    reason: z.string().optional(),
    capabilities: z.object({
      logprobs: z.boolean(),
      samples: z.boolean(),
      images: z.boolean(),
      guidedChoice: z.boolean(),
    }),
    isDefault: z.boolean(),
    fallbacks: z.array(z.string()),
  })
  .meta({ id: 'ProviderInfo' });

export const ProvidersResponseSchema = z
  .object({ providers: z.array(ProviderInfoSchema) })
  .meta({ id: 'ProvidersResponse' });

export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;
export type ProvidersResponse = z.infer<typeof ProvidersResponseSchema>;

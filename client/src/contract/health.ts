/**
 * @module
 * `GET /healthz`.
 */
import { z } from 'zod';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    mode: z.string(),
    uptimeSeconds: z.number(),
    providers: z.object({ available: z.number().int(), total: z.number().int() }),
  })
  .meta({ id: 'Health' });

export type Health = z.infer<typeof HealthSchema>;

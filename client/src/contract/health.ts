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
    /** Whether the gateway can write its cache and audit log now; `status` is `degraded` when not. */
    storage: z.object({ writable: z.boolean(), reason: z.string().optional() }).optional(),
  })
  .meta({ id: 'Health' });

export type Health = z.infer<typeof HealthSchema>;

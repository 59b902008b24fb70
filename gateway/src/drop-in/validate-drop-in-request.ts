import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Wire } from './wire.ts';

type Json = Record<string, unknown>;

const OpenAIRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.string() })).min(1),
  n: z.number().int().min(1).max(128).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().nullish(),
});

const GeminiRequestSchema = z.looseObject({
  contents: z.array(z.looseObject({ role: z.string().optional(), parts: z.array(z.looseObject({})).min(1) })).min(1),
});

/**
 * Step 1, validate: the fields the gateway reads, checked once; every other field is kept as sent
 * (a same-kind request passes through with its body intact).
 */
export function validateDropInRequest(wire: Wire, body: unknown): { ok: true; body: Json } | { ok: false; error: GatewayError } {
  const parsed = (wire === 'openai' ? OpenAIRequestSchema : GeminiRequestSchema).safeParse(body);
  if (parsed.success) return { ok: true, body: body as Json };
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || '(body)';
  return { ok: false, error: new GatewayError('invalid_request', `${field}: ${issue?.message ?? 'invalid request'}`, { field }) };
}

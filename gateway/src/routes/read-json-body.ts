import type { Context } from 'hono';
import { GatewayError } from '../errors/gateway-error.ts';

/** The request body as JSON, or a 400 that says the body is not JSON (never a 500). */
export async function readJsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new GatewayError('invalid_request', 'the request body is not valid JSON');
  }
}

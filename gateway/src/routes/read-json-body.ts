import type { Context } from 'hono';
import { GatewayError } from '../errors/gateway-error.ts';
import { jsonDepth } from './json-depth.ts';

/**
 * Far deeper than any request the API describes (a batch of requests with a grid state nests about
 * ten levels), and far shallower than the few thousand levels at which recursive code downstream
 * (validation, canonical JSON for cache keys, templates) overflows the stack.
 */
export const maxJsonDepth = 64;

/** The request body as JSON, or a 400 that says why it is not usable JSON (never a 500). */
export async function readJsonBody(c: Context): Promise<unknown> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new GatewayError('invalid_request', 'the request body is not valid JSON');
  }
  if (jsonDepth(body, maxJsonDepth) > maxJsonDepth) {
    throw new GatewayError('invalid_request', `the request body nests deeper than ${maxJsonDepth} levels`, { maxDepth: maxJsonDepth });
  }
  return body;
}

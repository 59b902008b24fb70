import type { Context } from 'hono';
import { GatewayError } from '../errors/gateway-error.ts';
import { jsonDepth } from './json-depth.ts';

/**
 * Far deeper than any request the API describes (a batch of requests with a grid state nests about
 * ten levels), and far shallower than the few thousand levels at which recursive code downstream
 * (validation, canonical JSON for cache keys, templates) overflows the stack.
 */
export const maxJsonDepth = 64;

/**
 * The request body as JSON, or a 400 that says why it is not usable JSON (never a 500). Only an
 * `application/json` body is read (415 otherwise): a web page can send `text/plain` across sites
 * without asking the browser's permission, but not JSON.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const contentType = c.req.header('content-type') ?? '';
  if (contentType.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new GatewayError(
      'unsupported_media_type',
      `the request body must be JSON sent as "content-type: application/json"${contentType ? ` (got "${contentType.slice(0, 100)}")` : ''}`,
    );
  }
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

import { Hono } from 'hono';
import { BatchRequestSchema } from '@teacher-gateway/client';
import { GatewayError } from '../errors/gateway-error.ts';
import type { SuggestionService } from '../suggestion/create-suggestion-service.ts';
import { parseSuggestionRequest } from '../suggestion/parse-suggestion-request.ts';
import type { GatewayEnv } from '../app-env.ts';
import { readJsonBody } from './read-json-body.ts';

/**
 * `POST /v1/suggestions`, `POST /v1/suggestions:batch` and `POST /v1/cache/explain`. Each request
 * is parsed once, here; the pipeline works on the typed result (and logs a refused one).
 */
export function createSuggestionRoutes(service: SuggestionService): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/v1/suggestions', async (c) => {
    const parsed = parseSuggestionRequest(await readJsonBody(c));
    return c.json(await service.suggest(parsed, c.get('requestContext')));
  });
  app.post('/v1/suggestions:batch', async (c) => {
    const parsed = BatchRequestSchema.safeParse(await readJsonBody(c));
    if (!parsed.success) {
      throw new GatewayError(
        'invalid_request',
        'expected { "requests": [ ... ] } with 1 to 4096 items',
        {
          issues: parsed.error.issues.map(({ path, message }) => ({ path, message })),
        },
      );
    }
    const items = parsed.data.requests.map(parseSuggestionRequest);
    const results = await service.suggestBatch(items, c.get('requestContext'));
    return c.json({ results });
  });
  app.post('/v1/cache/explain', async (c) => {
    const parsed = parseSuggestionRequest(await readJsonBody(c));
    if (!parsed.ok) throw parsed.error;
    return c.json(await service.explain(parsed.request));
  });
  return app;
}

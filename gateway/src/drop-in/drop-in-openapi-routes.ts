import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

const anyJson = (description: string) => ({ description, content: { 'application/json': { schema: z.looseObject({}) } } });
const body = { body: { content: { 'application/json': { schema: z.looseObject({}) } } } };
const model = z.object({ model: z.string() });
const providerErrors = {
  400: anyJson("invalid request, or a field that cannot be translated (in the client's API shape)"),
  401: anyJson('no valid gateway token'),
  404: anyJson('unknown model, or not_cached in replay mode'),
  413: anyJson('body or image over the limits'),
  429: anyJson("the provider's throttle, passed through"),
  502: anyJson('provider error'),
  503: anyJson('provider unavailable'),
};

/** The drop-in endpoints for /openapi.json; their bodies are OpenAI's and Google's (docs/drop-in.md). */
export const dropInOpenApiRoutes: RouteConfig[] = [
  {
    method: 'post',
    path: '/v1/chat/completions',
    summary: 'OpenAI-compatible chat completions (stream: true as server-sent events), cached and audited',
    request: body,
    responses: {
      200: { description: 'a chat completion, or chat.completion.chunk events', content: { 'application/json': { schema: z.looseObject({}) }, 'text/event-stream': { schema: z.string() } } },
      ...providerErrors,
    },
  },
  { method: 'get', path: '/v1/models', summary: 'OpenAI-compatible model list: provider ids and aliases', responses: { 200: anyJson('the list') } },
  { method: 'get', path: '/v1/models/{model}', summary: 'One OpenAI-compatible model', request: { params: model }, responses: { 200: anyJson('the model'), 404: anyJson('unknown') } },
  { method: 'get', path: '/v1beta/models', summary: 'Gemini-compatible model list', responses: { 200: anyJson('the list') } },
  { method: 'get', path: '/v1beta/models/{model}', summary: 'One Gemini-compatible model', request: { params: model }, responses: { 200: anyJson('the model'), 404: anyJson('unknown') } },
  {
    method: 'post',
    path: '/v1beta/models/{model}',
    summary: 'Gemini-compatible `{model}:generateContent` and `{model}:streamGenerateContent` (?alt=sse, or a JSON array)',
    request: { params: model, ...body },
    responses: {
      200: { description: 'a GenerateContentResponse, an event stream of them, or an array of them', content: { 'application/json': { schema: z.looseObject({}) }, 'text/event-stream': { schema: z.string() } } },
      ...providerErrors,
    },
  },
  {
    method: 'post',
    path: '/v1beta/{provider}/{model}',
    summary: 'The same for a `providerId/modelName` model, as Google\'s JS SDK spells it',
    request: { params: z.object({ provider: z.string(), model: z.string() }), ...body },
    responses: { 200: anyJson('as above'), ...providerErrors },
  },
];

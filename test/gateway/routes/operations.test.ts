import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';

test('GET /metrics reports requests, cache outcomes, upstream calls and cache size in Prometheus text', async () => {
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
  await gateway.post('/v1/suggestions', suggestionRequest());
  await gateway.post('/v1/suggestions', suggestionRequest());
  await gateway.post('/v1/suggestions', { template: 'nope' });
  const response = await gateway.get('/metrics');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /text\/plain/);
  const text = await response.text();
  assert.match(text, /teacher_gateway_http_requests_total\{route="\/v1\/suggestions",method="POST",status="200"\} 2/);
  assert.match(text, /teacher_gateway_http_requests_total\{route="\/v1\/suggestions",method="POST",status="400"\} 1/);
  assert.match(text, /teacher_gateway_suggestions_total\{provider="fake",outcome="hit"\} 1/);
  assert.match(text, /teacher_gateway_suggestions_total\{provider="fake",outcome="miss"\} 1/);
  assert.match(text, /teacher_gateway_upstream_calls_total\{provider="fake",result="ok"\} 1/);
  assert.match(text, /teacher_gateway_cache_entries 1/);
  assert.match(text, /teacher_gateway_upstream_queue_depth\{provider="fake"\} 0/);
  assert.match(text, /teacher_gateway_http_request_duration_seconds_bucket/);
});

test('healthz, providers, templates and the OpenAPI document answer', async () => {
  const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
  const health = (await (await gateway.get('/healthz')).json()) as { status: string; providers: { available: number } };
  assert.equal(health.status, 'ok');
  assert.equal(health.providers.available, 1);
  const templates = (await (await gateway.get('/v1/templates')).json()) as { templates: { id: string }[] };
  assert.ok(templates.templates.some((template) => template.id === 'minigrid-lvlm2p'));
  const one = (await (await gateway.get('/v1/templates/minigrid-lvlm2p@1')).json()) as { body: string; output: string };
  assert.equal(one.output, 'choice');
  assert.match(one.body, /Mission/);
  assert.equal((await gateway.get('/v1/templates/ghost')).status, 404);
  const document = (await (await gateway.get('/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(document.openapi, '3.1.0');
  assert.ok('/v1/suggestions:batch' in document.paths);
  const unknown = await gateway.get('/v2/nothing');
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'not_found');
});

test('images are stored once by content hash and can be referenced by hash', async () => {
  const fake = createFakeProvider();
  const gateway = createTestGateway({ providers: { fake } });
  const png = suggestionRequest().observation as { image: string };
  const stored = await gateway.post('/v1/images', { image: png.image });
  assert.equal(stored.status, 201);
  const { sha256 } = (await stored.json()) as { sha256: string };
  assert.equal((await gateway.post('/v1/images', { image: png.image })).status, 200, 'stored once');
  const bytes = await gateway.get(`/v1/images/${sha256}`);
  assert.equal(bytes.headers.get('content-type'), 'image/png');
  const byHash = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: { sha256 }, text: 'use the key to open the door and then get to the goal' } }));
  assert.equal(((await byHash.json()) as { cache: string }).cache, 'miss');
  // The bytes are read from the store only to render the miss's prompt, and reach the provider whole.
  const sent = fake.calls.at(-1)?.messages.flatMap((message) => message.parts).find((part) => part.type === 'image');
  assert.ok(sent?.type === 'image');
  assert.equal(sent.mediaType, 'image/png');
  assert.deepEqual(Buffer.from(sent.data), Buffer.from((await bytes.arrayBuffer()) as ArrayBuffer));
  const again = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: { sha256 }, text: 'use the key to open the door and then get to the goal' } }));
  assert.equal(((await again.json()) as { cache: string }).cache, 'hit');
  assert.equal(fake.calls.length, 1);
  const missing = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { image: { sha256: 'f'.repeat(64) }, text: 'x' } }));
  assert.equal(missing.status, 404);
  assert.match(JSON.stringify(await missing.json()), /f{64}/);
});

test('auth: every /v1 call needs a configured bearer token', async () => {
  const yaml = `storage: { path: ":memory:" }
auth: { tokens: ["\${GATEWAY_TOKEN}"] }
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;
  const gateway = createTestGateway({ yaml, providers: { fake: createFakeProvider() }, environment: { GATEWAY_TOKEN: 'secret-token' } });
  const anonymous = await gateway.post('/v1/suggestions', suggestionRequest());
  assert.equal(anonymous.status, 401);
  assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'unauthorized');
  const wrong = await gateway.app.request('/v1/providers', { headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.status, 401);
  const right = await gateway.app.request('/v1/providers', { headers: { authorization: 'Bearer secret-token' } });
  assert.equal(right.status, 200);
  assert.equal((await gateway.get('/healthz')).status, 200, 'health stays open for probes');
});

test('a body over server.bodyLimitBytes is 413 payload_too_large', async () => {
  const yaml = `storage: { path: ":memory:" }
server: { bodyLimitBytes: 1000 }
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: k }
`;
  const gateway = createTestGateway({ yaml, providers: { fake: createFakeProvider() } });
  const response = await gateway.post('/v1/suggestions', suggestionRequest({ observation: { text: 'x'.repeat(5000) } }));
  assert.equal(response.status, 413);
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'payload_too_large');
});

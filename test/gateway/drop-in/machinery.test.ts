import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { createPassThroughCaller } from '@teacher-gateway/gateway/internal/drop-in/create-pass-through-caller';
import { ProviderConfigSchema } from '@teacher-gateway/gateway/internal/config/config-schema';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { startGeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import type { GeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { DropInGateway } from '../../helpers/start-drop-in-gateway.ts';
import { startDropInGateway } from '../../helpers/start-drop-in-gateway.ts';

let openai: OpenAIStandIn;
let gemini: GeminiStandIn;
let drop: DropInGateway;
const database = openDatabase(':memory:');

before(async () => {
  openai = await startOpenAIStandIn();
  gemini = await startGeminiStandIn();
  drop = await startDropInGateway({ database, yaml: yaml('live') });
});
after(async () => {
  await drop.close();
  await openai.close();
  await gemini.close();
});

const yaml = (mode: string) => `storage: { path: ":memory:" }
cache: { mode: ${mode} }
server: { bodyLimitBytes: 4096 }
limits: { imageMaxSide: 64 }
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-a, baseURL: "${openai.url}", maxRetries: 0 }
  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: g-a, baseURL: "${gemini.url}", maxRetries: 0 }
fallbacks:
  openai-mini: [gemini-flash]
`;

const client = () => new OpenAI({ apiKey: 'x', baseURL: `${drop.url}/v1`, maxRetries: 0 });
const ask = (content: string, model = 'openai-mini') => ({ model, temperature: 0, messages: [{ role: 'user' as const, content }] });

test('identical concurrent requests share one upstream call', async () => {
  openai.setLatency(80);
  openai.respondWith(() => ({ text: 'A' }));
  try {
    const before = openai.calls.length;
    const answers = await Promise.all([0, 1, 2].map(() => client().chat.completions.create(ask('together')).withResponse()));
    assert.deepEqual(answers.map(({ response }) => response.headers.get('x-teacher-cache')).sort(), ['coalesced', 'coalesced', 'miss']);
    assert.equal(openai.calls.length - before, 1);
  } finally {
    openai.setLatency(0);
  }
});

test('a failing provider hands over to its fallback, translating the request for it', async () => {
  gemini.respondWith(() => ({ text: 'B' }));
  openai.fail('server-error');
  const { data, response } = await client().chat.completions.create(ask('fall back')).withResponse();
  assert.equal(data.choices[0]?.message.content, 'B');
  assert.equal(response.headers.get('x-teacher-provider'), 'gemini-flash');
  const row = database.prepare('SELECT tags, upstream_calls FROM requests WHERE id = ?').get(response.headers.get('x-teacher-request-id')) as { tags: string; upstream_calls: number };
  assert.deepEqual(JSON.parse(row.tags), { fallbackFrom: 'openai-mini' });
  assert.equal(row.upstream_calls, 2, 'the failed attempt and the fallback\'s are both logged');
  await drop.gateway.flush();
  const replayer = await startDropInGateway({ database, yaml: yaml('replay') });
  try {
    const offline = new OpenAI({ apiKey: 'x', baseURL: `${replayer.url}/v1`, maxRetries: 0 });
    const replayed = await offline.chat.completions.create(ask('fall back')).withResponse();
    assert.equal(replayed.data.choices[0]?.message.content, 'B', 'replay finds the answer under the fallback\'s key');
    assert.equal(replayed.response.headers.get('x-teacher-provider'), 'gemini-flash');
  } finally {
    await replayer.close();
  }
});

test('a translated request gets the provider\'s throttle in its own shape, with the wait', async () => {
  gemini.fail('rate-limited');
  await assert.rejects(client().chat.completions.create(ask('throttled', 'gemini-flash')), (error: unknown) => {
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.equal(error.headers?.get('retry-after'), '42');
    assert.equal((error.error as { type?: string }).type, 'rate_limit_error');
    return true;
  });
});

test('bodies and images over the limits are refused in each API\'s shape', async () => {
  const big = 'x'.repeat(5000);
  await assert.rejects(client().chat.completions.create(ask(big)), (error: unknown) => error instanceof OpenAI.APIError && error.status === 413);
  const geminiTooBig = await fetch(`${drop.url}/v1beta/models/gemini-flash:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ parts: [{ text: big }] }] }),
  });
  assert.equal(geminiTooBig.status, 413);
  assert.equal(((await geminiTooBig.json()) as { error: { status: string } }).error.status, 'INVALID_ARGUMENT');
  // A PNG header claiming 100x100 pixels: over imageMaxSide, refused before anything decodes it.
  const header = Buffer.from('89504e470d0a1a0a0000000d4948445200000064000000640806000000', 'hex');
  const image = `data:image/png;base64,${Buffer.concat([header, Buffer.alloc(16)]).toString('base64')}`;
  await assert.rejects(
    client().chat.completions.create({ model: 'openai-mini', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: image } }] }] }),
    (error: unknown) => error instanceof OpenAI.APIError && error.status === 413 && /limits\.imageMaxSide/.test(error.message),
  );
});

test('the pass-through caller stops reading an answer past its byte cap', async () => {
  openai.respondWith(() => ({ text: 'y'.repeat(4000) }));
  const call = createPassThroughCaller({ maxResponseBytes: 1024 });
  const provider = ProviderConfigSchema.parse({ id: 'o', kind: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-a', baseURL: openai.url });
  await assert.rejects(call({ provider, model: 'gpt-4o-mini', body: ask('long'), signal: new AbortController().signal }), (error: unknown) => {
    assert.ok(error instanceof ProviderCallError);
    assert.equal(error.retryable, false);
    assert.match(error.message, /larger than 1024 bytes/);
    return true;
  });
});

// Last: a refused key disables the provider for the rest of this gateway's life.
test('a provider refusing the gateway\'s own key is a 503 for the client, not a 401 it cannot fix', async () => {
  gemini.fail('unauthorized');
  await assert.rejects(client().chat.completions.create(ask('bad upstream key', 'gemini-flash')), (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.match(error.message, /gemini-flash refused the gateway's API key/);
    assert.doesNotMatch(error.message, /g-a/);
    return true;
  });
});

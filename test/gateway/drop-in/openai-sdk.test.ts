import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { startGeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import type { GeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import { tinyPng } from '../../helpers/create-test-gateway.ts';
import type { DropInGateway } from '../../helpers/start-drop-in-gateway.ts';
import { startDropInGateway } from '../../helpers/start-drop-in-gateway.ts';

let openai: OpenAIStandIn;
let gemini: GeminiStandIn;
let drop: DropInGateway;
const database = openDatabase(':memory:');

const yaml = (mode: string) => `storage: { path: ":memory:" }
cache: { mode: ${mode}, samplesPerKey: 2 }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-upstream-secret, baseURL: "${openai.url}", maxRetries: 0 }
  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: g-upstream-secret, baseURL: "${gemini.url}", maxRetries: 0 }
aliases:
  teacher: gemini-flash
`;

before(async () => {
  openai = await startOpenAIStandIn({ apiKey: 'sk-upstream-secret' });
  gemini = await startGeminiStandIn({ apiKey: 'g-upstream-secret' });
  drop = await startDropInGateway({ yaml: yaml('live'), database });
});
after(async () => {
  await drop.close();
  await openai.close();
  await gemini.close();
});

const client = (options: { maxRetries?: number } = {}) =>
  new OpenAI({ apiKey: 'any-gateway-token', baseURL: `${drop.url}/v1`, maxRetries: options.maxRetries ?? 0 });

const ask = (content: string) => ({
  model: 'openai-mini',
  temperature: 0,
  messages: [
    { role: 'system' as const, content: 'Answer with one letter.' },
    { role: 'user' as const, content },
  ],
});

test('a chat completion passes through with its body intact, then comes from the cache', async () => {
  openai.respondWith(() => ({ text: 'C' }));
  const body = { ...ask('which door? (pass-through)'), user: 'trainer-7', metadata: { run: 'r1' }, logit_bias: { '65': 1 } };
  const first = await client().chat.completions.create(body).withResponse();
  assert.equal(first.data.choices[0]?.message.content, 'C');
  assert.equal(first.response.headers.get('x-teacher-cache'), 'miss');
  const sent = openai.calls.at(-1);
  assert.equal(sent?.headers.authorization, 'Bearer sk-upstream-secret', 'the provider key is added by the gateway');
  assert.deepEqual((sent?.body as Record<string, unknown>).logit_bias, { '65': 1 }, 'unknown-to-us fields pass through');
  assert.equal((sent?.body as Record<string, unknown>).user, 'trainer-7');
  const calls = openai.calls.length;
  const second = await client().chat.completions.create({ ...body, user: 'someone-else', metadata: { run: 'r2' } }).withResponse();
  assert.equal(second.response.headers.get('x-teacher-cache'), 'hit', 'user and metadata do not split the key');
  assert.deepEqual(second.data, first.data);
  assert.equal(openai.calls.length, calls);
  const auditId = second.response.headers.get('x-teacher-request-id') ?? '';
  const row = database.prepare('SELECT cache, provider, tags, template FROM requests WHERE id = ?').get(auditId) as { cache: string; provider: string; tags: string; template: string };
  assert.deepEqual([row.cache, row.provider, row.template], ['hit', 'openai-mini', 'openai/chat.completions']);
  assert.deepEqual(JSON.parse(row.tags), { run: 'r2' });
  const miss = database.prepare('SELECT prompt FROM requests WHERE id = ?').get(first.response.headers.get('x-teacher-request-id')) as { prompt: string };
  assert.match(miss.prompt, /user: which door\? \(pass-through\)/);
  const callRow = database.prepare('SELECT request_body, response_body FROM upstream_calls WHERE request_id = ?').get(first.response.headers.get('x-teacher-request-id')) as { request_body: string; response_body: string };
  assert.doesNotMatch(callRow.request_body, /sk-upstream-secret/);
  assert.equal((JSON.parse(callRow.response_body) as { choices: unknown[] }).choices.length, 1);
});

test('stream: true answers as server-sent events, for a miss and for a cached answer alike', async () => {
  openai.respondWith(() => ({ text: 'turn left' }));
  const request = { ...ask('stream me'), stream: true as const, stream_options: { include_usage: true } };
  for (const expected of ['miss', 'hit']) {
    const { data: stream, response } = await client().chat.completions.create(request).withResponse();
    assert.equal(response.headers.get('x-teacher-cache'), expected);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    let text = '';
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, 'turn left');
    assert.equal(finish, 'stop');
    assert.ok(usage, 'include_usage adds the usage chunk');
  }
  // The stream helper insists on a role and a finish reason per choice.
  const helper = client().chat.completions.stream(ask('stream me'));
  const final = await helper.finalChatCompletion();
  assert.equal(final.choices[0]?.message.content, 'turn left');
});

test('n > 1 with logprobs: every choice and its token log-probabilities come back, streamed or not', async () => {
  openai.respondWith((_body, index) => ({ text: ['A', 'B', 'C'][index] ?? 'A', logprobs: [{ token: ['A', 'B', 'C'][index] ?? 'A', logprob: -0.1 - index, top: [{ token: 'A', logprob: -0.1 }, { token: 'B', logprob: -1.2 }] }] }));
  const request = { ...ask('three samples'), temperature: 0, n: 3, logprobs: true, top_logprobs: 2 };
  const completion = await client().chat.completions.create(request);
  assert.deepEqual(completion.choices.map((choice) => choice.message.content), ['A', 'B', 'C']);
  assert.equal(completion.choices[1]?.logprobs?.content?.[0]?.top_logprobs.length, 2);
  const stream = client().chat.completions.stream(request);
  const final = await stream.finalChatCompletion();
  assert.deepEqual(final.choices.map((choice) => choice.message.content), ['A', 'B', 'C']);
  assert.equal(final.choices[2]?.logprobs?.content?.[0]?.logprob, -2.1);
});

test('sampling requests (temperature > 0) fill the key\'s sample slots before answering from them', async () => {
  let count = 0;
  openai.respondWith(() => ({ text: `sample ${(count += 1)}` }));
  const request = { ...ask('sample me'), temperature: 1 };
  const seen: string[] = [];
  const outcomes: string[] = [];
  for (let index = 0; index < 4; index += 1) {
    const { data, response } = await client().chat.completions.create(request).withResponse();
    seen.push(data.choices[0]?.message.content ?? '');
    outcomes.push(response.headers.get('x-teacher-cache') ?? '');
  }
  assert.deepEqual(outcomes, ['miss', 'miss', 'hit', 'hit'], 'samplesPerKey: 2');
  assert.deepEqual(new Set(seen), new Set(['sample 1', 'sample 2']));
  const seeded = await client().chat.completions.create({ ...request, seed: 3 }).withResponse();
  assert.equal(seeded.response.headers.get('x-teacher-cache'), 'hit', 'seed 3 picks slot 1, already filled');
});

test('images are content-addressed: the same pixels sent differently share one cache entry and show in the audit log', async () => {
  openai.respondWith(() => ({ text: 'B' }));
  const base64 = tinyPng.slice(tinyPng.indexOf(',') + 1);
  const withImage = (url: string) => ({
    model: 'openai-mini',
    temperature: 0,
    messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'what do you see?' }, { type: 'image_url' as const, image_url: { url } }] }],
  });
  const first = await client().chat.completions.create(withImage(tinyPng)).withResponse();
  assert.equal(first.response.headers.get('x-teacher-cache'), 'miss');
  const sentUrl = ((openai.calls.at(-1)?.body as { messages: { content: { image_url?: { url: string } }[] }[] }).messages[0]?.content[1]?.image_url?.url);
  assert.equal(sentUrl, tinyPng);
  // Same bytes, base64 wrapped over lines: a different string, the same image.
  const wrapped = `data:image/png;base64,${base64.replace(/(.{20})/g, '$1\n')}`;
  const second = await client().chat.completions.create(withImage(wrapped)).withResponse();
  assert.equal(second.response.headers.get('x-teacher-cache'), 'hit');
  const sha256 = createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
  const row = database.prepare('SELECT image_sha256, prompt FROM requests WHERE id = ?').get(first.response.headers.get('x-teacher-request-id')) as { image_sha256: string; prompt: string };
  assert.equal(row.image_sha256, sha256);
  assert.match(row.prompt, new RegExp(`\\[image sha256:${sha256}\\]`));
  const image = await drop.gateway.app.request(`/v1/images/${sha256}`);
  assert.equal(image.status, 200);
  const page = await drop.gateway.app.request(`/ui/requests/${first.response.headers.get('x-teacher-request-id')}`);
  assert.match(await page.text(), new RegExp(`/v1/images/${sha256}`));
  for (const path of ['/ui', '/ui/runs', '/v1/logs']) assert.equal((await drop.gateway.app.request(path)).status, 200, path);
  const stats = (await (await drop.gateway.app.request('/v1/cache/stats')).json()) as { byProvider: Record<string, { hits: number; misses: number }> };
  assert.ok((stats.byProvider['openai-mini']?.hits ?? 0) > 0, JSON.stringify(stats));
  await assert.rejects(client().chat.completions.create(withImage('https://elsewhere.example/frame.png')), (error: unknown) => {
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.match(error.message, /limits\.imageHosts/);
    // The refusal names the message part that held the URL, not a suggestion's field.
    assert.match(error.message, /messages\[\d+\]\.content\[\d+\]\.image_url: /);
    assert.doesNotMatch(error.message, /observation\.image/);
    return true;
  });
});

test('429 and 5xx come back as the provider sent them, and the SDK retries exactly as it would against OpenAI', async () => {
  openai.respondWith(() => ({ text: 'D' }));
  let before = openai.calls.length;
  openai.fail('rate-limited-no-retry');
  await assert.rejects(client({ maxRetries: 2 }).chat.completions.create(ask('throttled')), (error: unknown) => {
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.match(error.message, /Rate limit reached for gpt-4o-mini/);
    assert.equal(error.headers?.get('x-should-retry'), 'false');
    assert.equal(error.headers?.get('retry-after'), '2');
    return true;
  });
  assert.equal(openai.calls.length - before, 1, 'x-should-retry: false stops the SDK');
  before = openai.calls.length;
  openai.fail('server-error');
  const recovered = await client({ maxRetries: 1 }).chat.completions.create(ask('flaky'));
  assert.equal(recovered.choices[0]?.message.content, 'D');
  assert.equal(openai.calls.length - before, 2, 'the SDK retried the 500 once');
});

test('an OpenAI-shaped request reaches a Gemini provider translated, and an untranslatable field is named in a 400', async () => {
  gemini.respondWith(() => ({ text: 'E', logprobs: [{ token: 'E', logprob: -0.05, top: [{ token: 'E', logprob: -0.05 }, { token: 'F', logprob: -3 }] }] }));
  const request = { model: 'teacher', temperature: 0, max_tokens: 5, logprobs: true, top_logprobs: 2, stop: ['\n'], messages: [{ role: 'system' as const, content: 'One letter.' }, { role: 'user' as const, content: [{ type: 'text' as const, text: 'translate me' }, { type: 'image_url' as const, image_url: { url: tinyPng } }] }] };
  const { data, response } = await client().chat.completions.create(request).withResponse();
  assert.equal(response.headers.get('x-teacher-provider'), 'gemini-flash');
  assert.equal(data.choices[0]?.message.content, 'E');
  assert.equal(data.choices[0]?.logprobs?.content?.[0]?.top_logprobs[1]?.token, 'F');
  const sent = gemini.calls.at(-1);
  assert.equal(sent?.path, '/v1beta/models/gemini-2.0-flash:generateContent');
  assert.equal(sent?.headers['x-goog-api-key'], 'g-upstream-secret');
  assert.deepEqual((sent?.body as Record<string, unknown>).systemInstruction, { parts: [{ text: 'One letter.' }] });
  assert.deepEqual((sent?.body as Record<string, unknown>).generationConfig, { temperature: 0, maxOutputTokens: 5, stopSequences: ['\n'], responseLogprobs: true, logprobs: 2 });
  await assert.rejects(
    client().chat.completions.create({ ...request, tools: [{ type: 'function', function: { name: 'move', parameters: {} } }] }),
    (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.match(error.message, /^400 tools cannot be translated from the OpenAI API to the Gemini API/);
      assert.equal(error.param, 'tools');
      return true;
    },
  );
});

test('GET /v1/models lists providers and aliases; an unknown model is a 404 in OpenAI\'s shape', async () => {
  const models = await client().models.list();
  assert.deepEqual(models.data.map((model) => model.id), ['openai-mini', 'gemini-flash', 'teacher']);
  await assert.rejects(client().chat.completions.create({ ...ask('x'), model: 'nope' }), (error: unknown) => {
    assert.ok(error instanceof OpenAI.NotFoundError);
    assert.match(error.message, /model "nope" names no configured provider/);
    return true;
  });
});

test('POST /v1/cache/explain takes a drop-in request and gives the key it was cached under', async () => {
  const body = { ...ask('explain me') };
  const { response } = await client().chat.completions.create(body).withResponse();
  const id = response.headers.get('x-teacher-request-id');
  const row = database.prepare('SELECT cache_key FROM requests WHERE id = ?').get(id) as { cache_key: string };
  const explained = (await (await drop.gateway.post('/v1/cache/explain', { endpoint: '/v1/chat/completions', body: { ...body, user: 'x', stream: true } })).json()) as Record<string, unknown>;
  assert.equal(explained.key, row.cache_key);
  assert.equal(explained.stored, 1);
  assert.deepEqual(Object.keys(explained.components as object), ['provider', 'endpoint', 'conversation', 'parameters']);
});

test('replay with the stand-ins stopped: recorded requests are answered, others fail closed in OpenAI\'s shape', async () => {
  openai.respondWith(() => ({ text: 'G' }));
  await client().chat.completions.create(ask('recorded for replay'));
  await drop.gateway.flush();
  const replayer = await startDropInGateway({ yaml: yaml('replay').replace(openai.url, 'http://127.0.0.1:9/v1'), database });
  try {
    const offline = new OpenAI({ apiKey: 'x', baseURL: `${replayer.url}/v1`, maxRetries: 2 });
    const before = openai.calls.length;
    const { data, response } = await offline.chat.completions.create(ask('recorded for replay')).withResponse();
    assert.equal(data.choices[0]?.message.content, 'G');
    assert.equal(response.headers.get('x-teacher-cache'), 'hit');
    await assert.rejects(offline.chat.completions.create(ask('never recorded')), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.match(error.message, /replay mode: this request was never recorded/);
      assert.equal((error.error as { code?: string }).code, 'not_cached');
      return true;
    });
    assert.equal(openai.calls.length, before);
  } finally {
    await replayer.close();
  }
});

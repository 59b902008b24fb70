import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError, HarmBlockThreshold, HarmCategory } from '@google/generative-ai';
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
const token = 'gateway-token-for-tests';

const yaml = (mode: string, geminiUrl: string) => `storage: { path: ":memory:" }
cache: { mode: ${mode} }
auth: { tokens: [{ name: trainer, token: ${token} }] }
providers:
  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: g-upstream-secret, baseURL: "${geminiUrl}", maxRetries: 0 }
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: sk-upstream-secret, baseURL: "${openai.url}", maxRetries: 0 }
`;

before(async () => {
  openai = await startOpenAIStandIn({ apiKey: 'sk-upstream-secret' });
  gemini = await startGeminiStandIn({ apiKey: 'g-upstream-secret' });
  drop = await startDropInGateway({ yaml: yaml('live', gemini.url), database });
});
after(async () => {
  await drop.close();
  await openai.close();
  await gemini.close();
});

const model = (name = 'gemini-flash', generationConfig: Record<string, unknown> = { temperature: 0 }, key = token, url = drop.url) =>
  new GoogleGenerativeAI(key).getGenerativeModel({ model: name, generationConfig }, { baseUrl: url });
const pngBase64 = tinyPng.slice(tinyPng.indexOf(',') + 1);

/** The LVLM2P release's shape: a few-shot chat of frames and the actions taken, then the current frame. */
const fewShotHistory = () => [
  { role: 'user', parts: [{ text: 'You control the red agent. Mission: open the door. Reply with one action.' }, { inlineData: { mimeType: 'image/png', data: pngBase64 } }] },
  { role: 'model', parts: [{ text: 'move forward' }] },
  { role: 'user', parts: [{ text: 'Next frame.' }, { inlineData: { mimeType: 'image/png', data: pngBase64 } }] },
  { role: 'model', parts: [{ text: 'toggle' }] },
];

test('generateContent passes through to a Gemini provider and a repeat comes from the cache', async () => {
  gemini.respondWith(() => ({ text: 'move forward' }));
  const first = await model().generateContent('which action?');
  assert.equal(first.response.text(), 'move forward');
  const sent = gemini.calls.at(-1);
  assert.equal(sent?.headers['x-goog-api-key'], 'g-upstream-secret', 'the gateway token is swapped for the provider key');
  assert.equal(sent?.path, '/v1beta/models/gemini-2.0-flash:generateContent');
  const calls = gemini.calls.length;
  const response = await fetch(`${drop.url}/v1beta/models/gemini-flash:generateContent?key=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-teacher-run': 'run-9', 'x-teacher-tags': 'teacher=gemini, seed=3' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'which action?' }] }], generationConfig: { temperature: 0 } }),
  });
  assert.equal(response.headers.get('x-teacher-cache'), 'hit', 'the key does not care how the key was sent');
  assert.equal(gemini.calls.length, calls);
  const row = database.prepare('SELECT tags, token_name FROM requests WHERE id = ?').get(response.headers.get('x-teacher-request-id')) as { tags: string; token_name: string };
  assert.deepEqual([JSON.parse(row.tags), row.token_name], [{ teacher: 'gemini', seed: '3', run: 'run-9' }, 'trainer']);
});

test('streamGenerateContent answers with server-sent events for the JS SDK, cached or not', async () => {
  gemini.respondWith(() => ({ text: 'pick up' }));
  for (let round = 0; round < 2; round += 1) {
    const result = await model().generateContentStream('stream an action');
    let text = '';
    for await (const chunk of result.stream) text += chunk.text();
    assert.equal(text, 'pick up');
    assert.equal((await result.response).text(), 'pick up');
  }
});

test('Google\'s Python REST transport: pretty JSON, integer enums, $alt=json;enum-encoding=int and a JSON-array stream', async () => {
  gemini.respondWith(() => ({ text: 'drop' }));
  const named = { contents: [{ role: 'user', parts: [{ text: 'python asks' }] }], safetySettings: [{ category: HarmCategory.HARM_CATEGORY_DANGEROUS_CONTENT, threshold: HarmBlockThreshold.BLOCK_NONE }], generationConfig: { temperature: 0 } };
  const jsAnswer = await model('gemini-flash', { temperature: 0 }).generateContent({ contents: named.contents, safetySettings: named.safetySettings });
  assert.equal(jsAnswer.response.text(), 'drop');
  const calls = gemini.calls.length;
  const python = { ...named, safetySettings: [{ category: 10, threshold: 4 }] };
  const response = await fetch(`${drop.url}/v1beta/models/gemini-flash:streamGenerateContent?%24alt=json%3Benum-encoding%3Dint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': token },
    body: JSON.stringify(python, null, 2),
  });
  const text = await response.text();
  assert.equal(text[0], '[', 'the array starts at byte 0');
  const parsed = JSON.parse(text) as { candidates: { content: { parts: { text: string }[] } }[] }[];
  assert.equal(parsed[0]?.candidates[0]?.content.parts[0]?.text, 'drop');
  assert.equal(response.headers.get('x-teacher-cache'), 'hit', 'integer and named enums are one cache key');
  assert.equal(gemini.calls.length, calls);
  const explained = await fetch(`${drop.url}/v1/cache/explain`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ endpoint: '/v1beta/models/gemini-flash:streamGenerateContent', body: python }),
  });
  const explanation = (await explained.json()) as { key: string; stored: number; translated: boolean };
  const row = database.prepare('SELECT cache_key FROM requests WHERE id = ?').get(response.headers.get('x-teacher-request-id')) as { cache_key: string };
  assert.deepEqual([explanation.key, explanation.stored, explanation.translated], [row.cache_key, 1, false]);
});

test('candidateCount and logprobs come back per candidate', async () => {
  gemini.respondWith((_body, index) => ({ text: ['A', 'B'][index] ?? 'A', logprobs: [{ token: ['A', 'B'][index] ?? 'A', logprob: -0.2, top: [{ token: 'A', logprob: -0.2 }, { token: 'B', logprob: -1.7 }] }] }));
  const result = await model('gemini-flash', { temperature: 0, candidateCount: 2, responseLogprobs: true, logprobs: 2 } as Record<string, unknown>).generateContent('two candidates');
  const candidates = result.response.candidates ?? [];
  assert.deepEqual(candidates.map((candidate) => candidate.content.parts[0]?.text), ['A', 'B']);
  const logprobs = (candidates[1] as unknown as { logprobsResult: { topCandidates: { candidates: { token: string }[] }[] } }).logprobsResult;
  assert.deepEqual(logprobs.topCandidates[0]?.candidates.map((entry) => entry.token), ['A', 'B']);
});

test('a 429 comes back as Google sent it, RetryInfo included; the JS SDK does not retry', async () => {
  const before = gemini.calls.length;
  gemini.fail('rate-limited');
  await assert.rejects(model().generateContent('throttled'), (error: unknown) => {
    assert.ok(error instanceof GoogleGenerativeAIFetchError);
    assert.equal(error.status, 429);
    assert.ok(error.errorDetails?.some((detail) => (detail as { retryDelay?: string }).retryDelay === '42s'));
    return true;
  });
  assert.equal(gemini.calls.length - before, 1);
  gemini.fail('unavailable');
  await assert.rejects(model().generateContent('overloaded'), (error: unknown) => error instanceof GoogleGenerativeAIFetchError && error.status === 503);
});

test('a wrong or missing gateway key is refused in Google\'s error shape', async () => {
  await assert.rejects(model('gemini-flash', { temperature: 0 }, 'wrong-key').generateContent('hi'), (error: unknown) => {
    assert.ok(error instanceof GoogleGenerativeAIFetchError);
    assert.equal(error.status, 401);
    return true;
  });
  const response = await fetch(`${drop.url}/v1beta/models`, { headers: { 'x-goog-api-key': token } });
  const listed = (await response.json()) as { models: { name: string; supportedGenerationMethods: string[] }[] };
  assert.deepEqual(listed.models.map((entry) => entry.name), ['models/gemini-flash', 'models/openai-mini']);
});

test('a Gemini-shaped request reaches an OpenAI provider translated, images and few-shot turns included', async () => {
  openai.respondWith(() => ({ text: 'turn right', logprobs: [{ token: 'turn right', logprob: -0.3, top: [{ token: 'turn right', logprob: -0.3 }] }] }));
  const chat = model('openai-mini', { temperature: 0, maxOutputTokens: 4, responseLogprobs: true, logprobs: 1 } as Record<string, unknown>).startChat({ history: fewShotHistory() });
  const result = await chat.sendMessage([{ text: 'Current frame.' }, { inlineData: { mimeType: 'image/png', data: pngBase64 } }]);
  assert.equal(result.response.text(), 'turn right');
  const sent = openai.calls.at(-1)?.body as { model: string; messages: { role: string; content: unknown }[]; max_completion_tokens: number; logprobs: boolean; top_logprobs: number };
  assert.equal(sent.model, 'gpt-4o-mini');
  assert.deepEqual(sent.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant', 'user']);
  assert.deepEqual([sent.max_completion_tokens, sent.logprobs, sent.top_logprobs], [4, true, 1]);
  assert.deepEqual((sent.messages[4]?.content as { type: string }[]).map((part) => part.type), ['text', 'image_url']);
  const logprobs = (result.response.candidates?.[0] as unknown as { logprobsResult: { chosenCandidates: { token: string }[] } }).logprobsResult;
  assert.equal(logprobs.chosenCandidates[0]?.token, 'turn right');
  await assert.rejects(
    model('openai-mini', { temperature: 0, topK: 3 }).generateContent('topK has no OpenAI counterpart'),
    (error: unknown) => error instanceof GoogleGenerativeAIFetchError && error.status === 400 && /generationConfig\.topK cannot be translated/.test(error.message),
  );
});

test('an LVLM2P-style few-shot Gemini chat replays offline with the stand-in stopped', async () => {
  const answers = ['move forward', 'toggle', 'move forward'];
  let turn = 0;
  gemini.respondWith(() => ({ text: answers[turn % answers.length] ?? 'done' }));
  const play = async (url: string) => {
    const chat = model('gemini-flash', { temperature: 0 }, token, url).startChat({ history: fewShotHistory() });
    const said: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      const result = await chat.sendMessage([{ text: `Frame ${step}.` }, { inlineData: { mimeType: 'image/png', data: pngBase64 } }]);
      said.push(result.response.text());
      turn += 1;
    }
    return said;
  };
  const recorded = await play(drop.url);
  await drop.gateway.flush();
  const offline = await startDropInGateway({ yaml: yaml('replay', 'http://127.0.0.1:9'), database });
  try {
    const before = gemini.calls.length;
    assert.deepEqual(await play(offline.url), recorded);
    assert.equal(gemini.calls.length, before, 'nothing reached the provider');
    await assert.rejects(model('gemini-flash', { temperature: 0 }, token, offline.url).generateContent('never asked'), (error: unknown) => {
      assert.ok(error instanceof GoogleGenerativeAIFetchError);
      assert.equal(error.status, 404);
      assert.match(error.message, /replay mode: this request was never recorded/);
      return true;
    });
  } finally {
    await offline.close();
  }
});

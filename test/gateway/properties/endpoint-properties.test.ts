import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { GenerateResult } from '@teacher-gateway/gateway/internal/providers/provider';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';
import { assertSoundSuggestion, assertWellFormedResponse } from './assert-well-formed-response.ts';
import { hostileAnswer } from './hostile-answer.ts';
import { hostileJsonText } from './hostile-json-text.ts';
import { hostileValue } from './hostile-value.ts';
import { mutatedRequest } from './mutated-request.ts';

// Fixed seeds keep a red run reproducible; FC_SEED explores further, FC_RUNS runs longer.
const seed = Number(process.env.FC_SEED ?? 20261122);
const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
const runs = (count: number) => ({ seed, numRuns: Math.max(1, Math.round(count * scale)) });

function gatewayWithScriptedProvider() {
  const fake = createFakeProvider();
  let next: GenerateResult | ProviderCallError | undefined;
  // A scripted answer when a test sets one, a sound letter answer otherwise.
  fake.fallback = () => {
    if (next instanceof ProviderCallError) throw next;
    return next ?? letter();
  };
  const gateway = createTestGateway({
    yaml: `storage: { path: ":memory:" }
server: { bodyLimitBytes: 4000000 }
defaultProvider: fake
providers:
  - { id: fake, kind: openai, model: fake-model, apiKey: test-key, maxRetries: 1 }
`,
    providers: { fake },
  });
  return { gateway, fake, answerWith: (answer: GenerateResult | ProviderCallError | undefined) => (next = answer) };
}

function letter(): GenerateResult {
  const top = [
    { token: 'C', logprob: Math.log(0.9) },
    { token: 'A', logprob: Math.log(0.05) },
  ];
  return {
    choices: [{ text: 'C', finishReason: { unified: 'stop', raw: 'stop' }, logprobs: [{ token: 'C', logprob: Math.log(0.9), top }] }],
    usage: { inputTokens: 10, outputTokens: 1 },
    warnings: [],
    raw: { url: 'http://fake/v1/chat/completions', requestBody: {}, status: 200, headers: {}, responseBody: {} },
  };
}

const postText = (app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }, path: string, body: string, type = 'application/json') =>
  Promise.resolve(app.request(path, { method: 'POST', headers: { 'content-type': type }, body }));

describe('hostile input against every endpoint', () => {
  const { gateway } = gatewayWithScriptedProvider();

  test('POST /v1/suggestions, :batch and /v1/cache/explain with malformed JSON text', async () => {
    await fc.assert(
      fc.asyncProperty(hostileJsonText, fc.constantFrom('/v1/suggestions', '/v1/suggestions:batch', '/v1/cache/explain', '/v1/images'), async (text, path) => {
        await assertWellFormedResponse(await postText(gateway.app, path, text), `${path} ${text.slice(0, 80)}`);
      }),
      runs(150),
    );
  });

  test('POST /v1/suggestions and /v1/cache/explain with requests mutated by hostile values', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedRequest, fc.constantFrom('/v1/suggestions', '/v1/cache/explain'), async (request, path) => {
        const body = await assertWellFormedResponse(await gateway.post(path, request), `${path} ${JSON.stringify(request).slice(0, 200)}`);
        if (path === '/v1/suggestions' && typeof body === 'object' && body !== null && !('error' in body)) {
          assertSoundSuggestion(body, JSON.stringify(request).slice(0, 200));
        }
      }),
      runs(150),
    );
  });

  test('POST /v1/suggestions:batch: hostile items fail one by one, the rest still answer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutatedRequest, hostileValue), { minLength: 1, maxLength: 6 }), async (items) => {
        const requests = [...items, suggestionRequest()];
        const response = await gateway.post('/v1/suggestions:batch', { requests });
        const body = (await assertWellFormedResponse(response, 'batch')) as { results: unknown[]; error?: { message: string } };
        // Nesting past the body's depth limit refuses the whole body: it is not a batch of requests.
        if (response.status === 400 && /nests deeper/.test(body.error?.message ?? '')) return;
        assert.equal(body.results.length, requests.length);
        assertSoundSuggestion(body.results[requests.length - 1], 'the valid last item');
      }),
      runs(40),
    );
  });

  test('POST /v1/images with hostile JSON, raw bytes and content types', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 100 }).map((tail) => new Uint8Array([...Buffer.from(tinyPng.split(',')[1] ?? '', 'base64').subarray(0, 33), ...tail])),
      fc.constant(new Uint8Array([0xff, 0xd8, 0xff])),
      fc.constant(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileValue.map((image) => ({ kind: 'json' as const, body: JSON.stringify({ image }) })), bytes.map((body) => ({ kind: 'raw' as const, body }))),
        fc.constantFrom('application/json', 'image/png', 'image/webp', 'application/octet-stream', 'text/plain', ''),
        async (input, type) => {
          const response = await gateway.app.request('/v1/images', { method: 'POST', headers: type ? { 'content-type': type } : {}, body: input.body });
          await assertWellFormedResponse(response, `images ${type}`);
        },
      ),
      runs(150),
    );
  });

  test('GET routes with hostile ids and query strings', async () => {
    const segment = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('..', '%', '%00', '%E0%A4%A', 'a'.repeat(5000), 'sug_', '0'.repeat(64), 'A'.repeat(64)));
    const query = fc.dictionary(
      fc.constantFrom('run', 'provider', 'template', 'cache', 'status', 'since', 'until', 'limit', 'cursor', 'x'),
      fc.oneof(segment, fc.constantFrom('NaN', 'Infinity', '-0', '1e999', '-1', '0', '1001', '2026-13-45', 'ok', 'error', '500', 'hit')),
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          segment.map((id) => `/v1/templates/${encodeURIComponent(id)}`),
          segment.map((id) => `/v1/images/${encodeURIComponent(id)}`),
          segment.map((id) => `/v1/logs/${encodeURIComponent(id)}`),
          query.map((q) => `/v1/logs?${new URLSearchParams(q)}`),
          query.map((q) => `/v1/logs/export?${new URLSearchParams(q)}`),
          segment.map((raw) => `/v1/logs?${raw}`),
        ),
        async (path) => {
          const response = await gateway.get(path);
          await assertWellFormedResponse(response, path.slice(0, 200));
        },
      ),
      runs(200),
    );
  });
});

describe('hostile provider answers', () => {
  test('never a 500, never a thrown parser, never a cached error', async () => {
    const { gateway, answerWith } = gatewayWithScriptedProvider();
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileAnswer.filter((answer) => !(answer instanceof ProviderCallError && answer.kind === 'quota-exhausted')),
        fc.constantFrom('minigrid-lvlm2p', 'minigrid-lvlm2p-verbalized', 'physics-varl', 'samples'),
        async (answer, shape) => {
          counter += 1;
          const request =
            shape === 'physics-varl'
              ? suggestionRequest({ template: 'physics-varl', actions: { kind: 'continuous', labels: ['dx', 'dy'], low: [-1, -1], high: [1, 1] } })
              : shape === 'samples'
                ? suggestionRequest({ distribution: { method: 'samples', samples: 4 } })
                : suggestionRequest({ template: shape });
          // A fresh observation per run, so each run is a miss that reaches the provider.
          (request.observation as Record<string, unknown>).text = `run ${counter}`;
          answerWith(answer);
          const response = await gateway.post('/v1/suggestions', request);
          const body = await assertWellFormedResponse(response, `${shape} ${counter}`);
          answerWith(undefined);
          const explained = (await (await gateway.post('/v1/cache/explain', request)).json()) as { stored: number; key: string };
          if (response.status === 200) {
            assertSoundSuggestion(body, `${shape} ${counter}`);
            assert.equal(explained.stored, 1, 'an answer is cached');
          } else {
            assert.equal(explained.stored, 0, `an error (${response.status}) was cached under ${explained.key}`);
          }
        },
      ),
      runs(300),
    );
  });
});

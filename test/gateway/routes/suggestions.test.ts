import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SuggestionSchema } from '@teacher-gateway/client';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { createFakeProvider, letterAnswer, textAnswer } from '../../helpers/fake-provider.ts';
import { createTestGateway, suggestionRequest, tinyPng } from '../../helpers/create-test-gateway.ts';

describe('POST /v1/suggestions', () => {
  test('answers with a distribution read from log-probabilities, then serves it from the cache', async () => {
    const fake = createFakeProvider();
    const gateway = createTestGateway({ providers: { fake } });
    const first = await gateway.post('/v1/suggestions', suggestionRequest({ tags: { run: 'r1', step: 3 } }));
    assert.equal(first.status, 200);
    const body = SuggestionSchema.parse(await first.json());
    assert.equal(body.cache, 'miss');
    assert.equal(body.method, 'logprobs');
    assert.equal(body.action, 2, 'C is "move forward"');
    assert.equal(body.probs?.length, 7);
    assert.ok(Math.abs((body.probs ?? []).reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.ok((body.probs ?? []).every((p) => p >= 0.001 - 1e-12));
    assert.equal(body.usage.upstreamCalls, 1);
    assert.equal(fake.calls.length, 1);
    assert.equal(fake.calls[0]?.topLogprobs, 20);
    const imagePart = fake.calls[0]?.messages.at(-1)?.parts[0];
    assert.equal(imagePart?.type, 'image');

    const second = SuggestionSchema.parse(await (await gateway.post('/v1/suggestions', suggestionRequest({ tags: { run: 'other' } }))).json());
    assert.equal(second.cache, 'hit');
    assert.deepEqual(second.probs, body.probs);
    assert.equal(second.cacheKey, body.cacheKey, 'tags do not enter the key');
    assert.equal(second.usage.upstreamCalls, 0);
    assert.equal(fake.calls.length, 1);
  });

  test('the cache key ignores key order and the base64 spelling of the image', async () => {
    const fake = createFakeProvider();
    const gateway = createTestGateway({ providers: { fake } });
    const a = (await (await gateway.post('/v1/suggestions', suggestionRequest())).json()) as { cacheKey: string };
    const reordered = {
      actions: suggestionRequest().actions,
      observation: { text: 'use the key to open the door and then get to the goal', image: tinyPng.replace('data:image/png;base64,', '') },
      template: 'minigrid-lvlm2p',
    };
    const b = (await (await gateway.post('/v1/suggestions', reordered)).json()) as { cacheKey: string; cache: string };
    assert.equal(b.cacheKey, a.cacheKey);
    assert.equal(b.cache, 'hit');
  });

  test('invalid requests get 400 with the zod issues, and no upstream call', async () => {
    const fake = createFakeProvider();
    const gateway = createTestGateway({ providers: { fake } });
    for (const body of [
      {},
      suggestionRequest({ actions: { kind: 'discrete', labels: [] } }),
      suggestionRequest({ distribution: { method: 'telepathy' } }),
      suggestionRequest({ observation: { image: 'not base64 !!' } }),
      suggestionRequest({ observation: { image: 'data:image/png;base64,aGVsbG8=' } }),
      suggestionRequest({ cache: 'sometimes' }),
      suggestionRequest({ actions: { kind: 'continuous', labels: ['dx'], low: [1], high: [-1] } }),
      '{"template": ',
    ]) {
      const response = await gateway.post('/v1/suggestions', body);
      assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
      const error = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.error.code, 'invalid_request');
      assert.ok(error.error.message.length > 0);
    }
    assert.equal(fake.calls.length, 0);
  });

  test('unknown template and provider are 404 not_found naming them', async () => {
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
    const template = await gateway.post('/v1/suggestions', suggestionRequest({ template: 'nope' }));
    assert.equal(template.status, 404);
    assert.match(JSON.stringify(await template.json()), /nope/);
    const provider = await gateway.post('/v1/suggestions', suggestionRequest({ provider: 'ghost' }));
    assert.equal(provider.status, 404);
    assert.match(JSON.stringify(await provider.json()), /ghost/);
  });

  test('a provider without its key is 503 provider_unavailable naming the variable', async () => {
    const yaml = `storage: { path: ":memory:" }
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: "\${OPENAI_API_KEY}" }
`;
    const gateway = createTestGateway({ yaml, providers: { 'openai-mini': createFakeProvider() } });
    const providers = (await (await gateway.get('/v1/providers')).json()) as {
      providers: { id: string; available: boolean; reason: string }[];
    };
    assert.equal(providers.providers[0]?.available, false);
    assert.match(providers.providers[0]?.reason ?? '', /OPENAI_API_KEY/);
    const response = await gateway.post('/v1/suggestions', suggestionRequest());
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'provider_unavailable');
    assert.match(body.error.message, /OPENAI_API_KEY/);
  });

  test('an unusable answer is 422 with the raw text, and is never cached', async () => {
    const fake = createFakeProvider();
    fake.queue.push(textAnswer('I would rather not say'));
    const gateway = createTestGateway({ providers: { fake } });
    const request = suggestionRequest({ template: 'minigrid-lvlm2p-verbalized' });
    const response = await gateway.post('/v1/suggestions', request);
    assert.equal(response.status, 422);
    const body = (await response.json()) as { error: { code: string; details: { rawText: string } } };
    assert.equal(body.error.code, 'unparsable_response');
    assert.equal(body.error.details.rawText, 'I would rather not say');
    fake.queue.push(textAnswer('{"A": 0.1, "B": 0.1, "C": 0.5, "D": 0.1, "E": 0.1, "F": 0.05, "G": 0.05}'));
    const retry = await gateway.post('/v1/suggestions', request);
    assert.equal(retry.status, 200);
    const suggestion = (await retry.json()) as { cache: string; method: string; action: number };
    assert.equal(suggestion.cache, 'miss', 'the failed answer was not cached');
    assert.equal(suggestion.method, 'verbalized');
    assert.equal(suggestion.action, 2);
  });

  test('refusals and content-filtered answers are not cached', async () => {
    const fake = createFakeProvider();
    const refused = letterAnswer('C');
    refused.choices[0] = { ...refused.choices[0]!, finishReason: { unified: 'content-filter', raw: 'content_filter' } };
    fake.queue.push(refused);
    const gateway = createTestGateway({ providers: { fake } });
    const response = await gateway.post('/v1/suggestions', suggestionRequest());
    assert.equal(response.status, 422);
    assert.equal(((await response.json()) as { error: { details: { kind: string } } }).error.details.kind, 'content-filter');
    const next = (await (await gateway.post('/v1/suggestions', suggestionRequest())).json()) as { cache: string };
    assert.equal(next.cache, 'miss');
  });

  test('retryable upstream errors are retried; the audit log keeps every attempt', async () => {
    const fake = createFakeProvider();
    fake.queue.push(
      new ProviderCallError({ kind: 'rate-limited', message: 'slow down', status: 429, retryable: true, retryAfterMs: 10 }),
    );
    const gateway = createTestGateway({ providers: { fake } });
    const response = await gateway.post('/v1/suggestions', suggestionRequest());
    assert.equal(response.status, 200);
    const body = (await response.json()) as { id: string; usage: { upstreamCalls: number } };
    assert.equal(body.usage.upstreamCalls, 2);
    const entry = (await (await gateway.get(`/v1/logs/${body.id}`)).json()) as {
      upstreamCalls: { attempt: number; errorKind?: string }[];
      prompt: string;
    };
    assert.deepEqual(entry.upstreamCalls.map((call) => call.attempt), [1, 2]);
    assert.equal(entry.upstreamCalls[0]?.errorKind, 'rate-limited');
    assert.match(entry.prompt, /\[image sha256:[0-9a-f]{64}\]/);
  });

  test('upstream failures map to the API error codes', async () => {
    const cases: [ProviderCallError, number, string][] = [
      [new ProviderCallError({ kind: 'rate-limited', message: 'x', retryable: true, retryAfterMs: 3000 }), 429, 'rate_limited'],
      [new ProviderCallError({ kind: 'timeout', message: 'x', retryable: true }), 504, 'provider_timeout'],
      [new ProviderCallError({ kind: 'overloaded', message: 'x', status: 503, retryable: true }), 502, 'provider_error'],
      [new ProviderCallError({ kind: 'quota-exhausted', message: 'x', status: 429, retryable: false }), 503, 'provider_unavailable'],
    ];
    for (const [error, status, code] of cases) {
      const fake = createFakeProvider();
      fake.fallback = error;
      const gateway = createTestGateway({ providers: { fake } });
      const response = await gateway.post('/v1/suggestions', suggestionRequest());
      assert.equal(response.status, status, code);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, code);
      if (code === 'rate_limited') assert.equal(response.headers.get('retry-after'), '3');
    }
  });

  test('a failing provider hands over to its configured fallback, reported in the response', async () => {
    const primary = createFakeProvider({ id: 'primary' });
    primary.fallback = new ProviderCallError({ kind: 'overloaded', message: 'down', status: 503, retryable: true });
    const backup = createFakeProvider({ id: 'backup', model: 'backup-model' });
    const yaml = `storage: { path: ":memory:" }
defaultProvider: primary
providers:
  - { id: primary, kind: openai, model: fake-model, apiKey: k, maxRetries: 1 }
  - { id: backup, kind: gemini, model: backup-model, apiKey: k }
fallbacks: { primary: [backup] }
`;
    const gateway = createTestGateway({ yaml, providers: { primary, backup } });
    const response = await gateway.post('/v1/suggestions', suggestionRequest());
    assert.equal(response.status, 200);
    const body = (await response.json()) as { provider: string; fallbackFrom: string; model: string };
    assert.equal(body.provider, 'backup');
    assert.equal(body.model, 'backup-model');
    assert.equal(body.fallbackFrom, 'primary');
    assert.equal(primary.calls.length, 2);
  });

  test('a provider that refuses log-probabilities is asked again with sampled votes', async () => {
    const fake = createFakeProvider({ kind: 'gemini' });
    fake.queue.push((options) => {
      assert.equal(options.topLogprobs, 20);
      fake.capabilitiesNow = { ...fake.capabilitiesNow, logprobs: false };
      throw new ProviderCallError({ kind: 'logprobs-unsupported', message: 'Logprobs is not enabled', status: 400, retryable: false });
    });
    fake.queue.push((options) => {
      assert.equal(options.samples, 8);
      return textAnswer('C', 'C', 'C', 'B', 'C', 'C', 'A', 'C');
    });
    const gateway = createTestGateway({ providers: { fake } });
    const response = await gateway.post('/v1/suggestions', suggestionRequest());
    assert.equal(response.status, 200);
    const body = (await response.json()) as { method: string; action: number; usage: { upstreamCalls: number } };
    assert.equal(body.method, 'samples');
    assert.equal(body.action, 2);
    assert.equal(body.usage.upstreamCalls, 2);
  });

  test('concurrent identical requests share one upstream call', async () => {
    const fake = createFakeProvider({ delayMs: 20 });
    const gateway = createTestGateway({ providers: { fake } });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => gateway.post('/v1/suggestions', suggestionRequest())),
    );
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as { cache: string }[];
    assert.equal(fake.calls.length, 1);
    assert.equal(bodies.filter((body) => body.cache === 'miss').length, 1);
    assert.equal(bodies.filter((body) => body.cache === 'coalesced').length, 9);
  });

  test('continuous actions come back as a vector clipped to bounds', async () => {
    const fake = createFakeProvider();
    fake.queue.push(textAnswer('Sure! ```json\n{"action": [0.5, -3]}\n```'));
    const gateway = createTestGateway({ providers: { fake } });
    const response = await gateway.post('/v1/suggestions', {
      template: 'physics-varl',
      observation: { image: tinyPng, text: 'push the puck to the goal' },
      actions: { kind: 'continuous', labels: ['dx', 'dy'], low: [-1, -1], high: [1, 1] },
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { vector: number[]; method: string; probs?: number[] };
    assert.deepEqual(body.vector, [0.5, -1]);
    assert.equal(body.method, 'vector');
    assert.equal(body.probs, undefined);
  });

  test('seeded sampling requests fill sample slots and then replay them deterministically', async () => {
    const fake = createFakeProvider({ capabilities: { logprobs: false } });
    let round = 0;
    fake.fallback = () => {
      round += 1;
      return textAnswer(...Array.from({ length: 8 }, (_, index) => (index < round ? 'A' : 'C')));
    };
    const gateway = createTestGateway({ providers: { fake } });
    const ask = async (seed: number) =>
      (await (await gateway.post('/v1/suggestions', suggestionRequest({ seed, distribution: { method: 'samples' } }))).json()) as {
        probs: number[];
        cache: string;
      };
    const first = await ask(1);
    const second = await ask(2);
    assert.notDeepEqual(first.probs, second.probs);
    assert.deepEqual((await ask(1)).probs, first.probs);
    assert.equal((await ask(5)).cache, 'hit', 'seed 5 picks slot 1 of 4');
    assert.equal(fake.calls.length, 2);
  });
});

describe('POST /v1/suggestions:batch', () => {
  test('keeps order, isolates bad items, and costs one call per distinct request', async () => {
    const fake = createFakeProvider({ delayMs: 5 });
    const gateway = createTestGateway({ providers: { fake } });
    const response = await gateway.post('/v1/suggestions:batch', {
      requests: [
        suggestionRequest(),
        { template: 'minigrid-lvlm2p' },
        suggestionRequest(),
        suggestionRequest({ observation: { image: tinyPng, text: 'get to the green goal square' } }),
      ],
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { results: ({ cache: string } | { error: { code: string } })[] };
    assert.equal(body.results.length, 4);
    assert.ok('cache' in body.results[0]!);
    assert.equal((body.results[1] as { error: { code: string } }).error.code, 'invalid_request');
    assert.equal((body.results[2] as { cache: string }).cache, 'coalesced');
    assert.equal((body.results[3] as { cache: string }).cache, 'miss');
    assert.equal(fake.calls.length, 2);
  });

  test('a malformed batch envelope is 400', async () => {
    const gateway = createTestGateway({ providers: { fake: createFakeProvider() } });
    for (const body of [{}, { requests: [] }, { requests: 'x' }]) {
      assert.equal((await gateway.post('/v1/suggestions:batch', body)).status, 400);
    }
  });
});

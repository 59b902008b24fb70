import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { buildProviderConfig } from '../../helpers/build-provider-config.ts';
import {
  conformanceRequest,
  defineProviderConformanceSuite,
} from '../../conformance/provider-conformance.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import { readChatImage } from '../../helpers/read-chat-image.ts';

const apiKey = 'sk-proj-conformance-secret-0123456789';

function openaiConfig(baseURL: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return buildProviderConfig({ id: 'openai-mini', kind: 'openai', model: 'gpt-4o-mini', apiKey, baseURL, ...overrides });
}

defineProviderConformanceSuite('openai', async () => {
  const standIn = await startOpenAIStandIn({ apiKey });
  return {
    config: openaiConfig(standIn.url),
    standIn,
    logprobs: true,
    samplesReturned: 3,
    successHeaders: [
      'x-ratelimit-remaining-requests',
      'x-ratelimit-reset-tokens',
      'x-request-id',
      'openai-processing-ms',
    ],
    readImage: readChatImage,
    errorCases: [
      { scenario: 'invalid-request', kind: 'invalid-request', retryable: false, status: 400 },
      { scenario: 'unauthorized', kind: 'unauthorized', retryable: false, status: 401 },
      {
        scenario: 'rate-limited',
        kind: 'rate-limited',
        retryable: true,
        status: 429,
        // `retry-after: 2` (whole seconds) wins over the message's "1.5s".
        retryAfterMs: 2000,
      },
      {
        scenario: 'rate-limited-no-retry',
        kind: 'rate-limited',
        retryable: false,
        status: 429,
        retryAfterMs: 2000,
      },
      {
        scenario: 'rate-limited-behind-proxy',
        kind: 'rate-limited',
        retryable: true,
        status: 429,
        retryAfterMs: 1500,
      },
      { scenario: 'quota-exhausted', kind: 'quota-exhausted', retryable: false, status: 429 },
      { scenario: 'server-error', kind: 'overloaded', retryable: true, status: 500 },
      { scenario: 'overloaded', kind: 'overloaded', retryable: true, status: 503 },
    ],
    finishCases: [
      { scenario: 'truncated', unified: 'length' },
      { scenario: 'content-filter', unified: 'content-filter' },
      { scenario: 'refusal', unified: 'refusal' },
    ],
    arrangeMissingLogprobs: async () => {
      standIn.fail('no-logprobs');
      return { config: openaiConfig(standIn.url), close: async () => {} };
    },
  };
});

describe('openai adapter specifics', () => {
  let standIn: OpenAIStandIn;
  before(async () => {
    standIn = await startOpenAIStandIn({ apiKey });
  });
  after(() => standIn.close());

  test('sends max_completion_tokens, n, seed, capped top_logprobs and json response_format', async () => {
    const model = createProvider({ config: openaiConfig(standIn.url) });
    await model.doGenerate(
      conformanceRequest({ samples: 2, seed: 7, topLogprobs: 50, json: true }),
    );
    const body = standIn.calls.at(-1)?.body as Record<string, unknown>;
    assert.equal(body.max_completion_tokens, 8);
    assert.equal(body.max_tokens, undefined);
    assert.equal(body.n, 2);
    assert.equal(body.seed, 7);
    assert.equal(body.logprobs, true);
    assert.equal(body.top_logprobs, 20);
    assert.deepEqual(body.response_format, { type: 'json_object' });
    assert.equal((body.messages as Array<{ role: string }>)[0]?.role, 'system');
  });

  test('keeps -9999 sentinels and fewer alternatives than asked as they came', async () => {
    // The API's sentinel for a logprob too small to represent, on an alternative it still lists.
    standIn.respondWith(() => ({
      text: 'C',
      logprobs: [
        {
          token: 'C',
          logprob: -0.05,
          top: [
            { token: 'C', logprob: -0.05 },
            { token: 'A', logprob: -3.2 },
            { token: 'B', logprob: -9999 },
          ],
        },
      ],
    }));
    try {
      const model = createProvider({ config: openaiConfig(standIn.url) });
      const result = await model.doGenerate(conformanceRequest({ topLogprobs: 10 }));
      const top = result.choices[0]?.logprobs?.[0]?.top ?? [];
      assert.ok(top.length < 10, 'fewer than asked');
      assert.equal(top.at(-1)?.logprob, -9999);
    } finally {
      standIn.respondWith(undefined);
    }
  });

  test('a refusal is reported beside the (empty) text', async () => {
    const model = createProvider({ config: openaiConfig(standIn.url) });
    standIn.fail('refusal');
    const result = await model.doGenerate(conformanceRequest());
    assert.equal(result.choices[0]?.text, '');
    assert.match(result.choices[0]?.refusal ?? '', /can't help/);
    assert.deepEqual(result.choices[0]?.finishReason, { unified: 'refusal', raw: 'stop' });
  });

  test('a model refusing logprobs is remembered in capabilities', async () => {
    const model = createProvider({ config: openaiConfig(standIn.url, { model: 'o3-mini' }) });
    assert.equal(model.capabilities().logprobs, true);
    standIn.fail('logprobs-unsupported');
    await assert.rejects(
      model.doGenerate(conformanceRequest({ topLogprobs: 5 })),
      (error: unknown) => {
        assert.ok(error instanceof ProviderCallError);
        assert.equal(error.kind, 'logprobs-unsupported');
        assert.equal(error.retryable, false);
        return true;
      },
    );
    assert.equal(model.capabilities().logprobs, false);
    const result = await model.doGenerate(conformanceRequest({ topLogprobs: 5 }));
    assert.equal((standIn.calls.at(-1)?.body as Record<string, unknown>).logprobs, undefined);
    assert.ok(
      result.warnings.some(
        (warning) => warning.type === 'unsupported' && warning.feature === 'logprobs',
      ),
    );
  });

  test('capabilities', () => {
    const model = createProvider({ config: openaiConfig(standIn.url) });
    assert.deepEqual(model.capabilities(), {
      logprobs: true,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 128,
      images: true,
      guidedChoice: false,
    });
    assert.throws(
      () => createProvider({ config: openaiConfig(standIn.url, { apiKey: '' }) }),
      /apiKey/,
    );
  });

  test('over maxConcurrency the stand-in throttles with a real 429', async () => {
    const busy = await startOpenAIStandIn({ apiKey, maxConcurrency: 2, latencyMs: 200 });
    try {
      const model = createProvider({ config: openaiConfig(busy.url) });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => model.doGenerate(conformanceRequest())),
      );
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      assert.equal(rejected.length, 2);
      for (const outcome of rejected) {
        const error = (outcome as PromiseRejectedResult).reason as ProviderCallError;
        assert.equal(error.kind, 'rate-limited');
        assert.equal(error.retryAfterMs, 2000);
        assert.equal(error.raw?.headers?.['x-ratelimit-remaining-requests'], '0');
        assert.equal(error.raw?.headers?.['retry-after-ms'], undefined, 'an Azure header, not OpenAI');
      }
      assert.ok(busy.peakConcurrency() >= 3);
    } finally {
      await busy.close();
    }
  });

  test('every delay form OpenAI writes is read, from the header and from the message alone', async () => {
    const model = createProvider({ config: openaiConfig(standIn.url) });
    // Go durations as OpenAI's messages and x-ratelimit-reset-* headers write them.
    const forms: Array<[string, number]> = [
      ['120ms', 120],
      ['1.5s', 1500],
      ['20s', 20_000],
      ['6m0s', 360_000],
      ['19m0.864s', 1_140_864],
      ['1h2m3s', 3_723_000],
    ];
    try {
      for (const [text, ms] of forms) {
        standIn.setThrottleDelay(ms);
        standIn.fail('rate-limited-behind-proxy');
        const fromMessage = await model.doGenerate(conformanceRequest()).then(
          () => assert.fail('expected a 429'),
          (error: unknown) => error as ProviderCallError,
        );
        assert.match(fromMessage.message, new RegExp(`try again in ${text.replace('.', '\\.')}\\.`));
        assert.equal(fromMessage.retryAfterMs, ms, `"try again in ${text}"`);
        standIn.fail('rate-limited');
        const fromHeader = await model.doGenerate(conformanceRequest()).then(
          () => assert.fail('expected a 429'),
          (error: unknown) => error as ProviderCallError,
        );
        assert.equal(fromHeader.retryAfterMs, Math.ceil(ms / 1000) * 1000, `retry-after for ${text}`);
      }
    } finally {
      standIn.setThrottleDelay(1500);
    }
  });

  test('an injected fetch is used instead of the built-in client', async () => {
    let calls = 0;
    const model = createProvider({
      config: openaiConfig(standIn.url),
      fetch: (input, init) => {
        calls += 1;
        return fetch(input, init);
      },
    });
    const result = await model.doGenerate(conformanceRequest());
    assert.equal(calls, 1);
    assert.ok(result.raw.headers['x-request-id']);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GoogleGenerativeAIFetchError } from '@google/generative-ai';
import type { ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { mapGeminiError } from '@teacher-gateway/gateway/internal/providers/gemini/map-gemini-error';
import { normalizeGeminiLogprobs } from '@teacher-gateway/gateway/internal/providers/gemini/normalize-gemini-logprobs';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { buildProviderConfig } from '../../helpers/build-provider-config.ts';
import {
  conformanceRequest,
  defineProviderConformanceSuite,
} from '../../conformance/provider-conformance.ts';
import { startGeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import type { GeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';

const apiKey = 'AIzaSyConformanceSecret-0123456789abcdef';

function geminiConfig(baseURL: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return buildProviderConfig({ id: 'gemini-flash', kind: 'gemini', model: 'gemini-2.0-flash', apiKey, baseURL, ...overrides });
}

defineProviderConformanceSuite('gemini', async () => {
  const standIn = await startGeminiStandIn({ apiKey });
  return {
    config: geminiConfig(standIn.url),
    standIn,
    logprobs: true,
    samplesReturned: 3,
    readImage(body) {
      for (const content of (
        body as {
          contents: Array<{ parts: Array<{ inlineData?: { mimeType: string; data: string } }> }>;
        }
      ).contents) {
        for (const part of content.parts) {
          if (part.inlineData)
            return { mediaType: part.inlineData.mimeType, base64: part.inlineData.data };
        }
      }
      return undefined;
    },
    errorCases: [
      { scenario: 'invalid-request', kind: 'invalid-request', retryable: false, status: 400 },
      { scenario: 'unauthorized', kind: 'unauthorized', retryable: false, status: 400 },
      { scenario: 'permission-denied', kind: 'unauthorized', retryable: false, status: 403 },
      {
        scenario: 'rate-limited',
        kind: 'rate-limited',
        retryable: true,
        status: 429,
        retryAfterMs: 42_000,
      },
      // The SDK drops headers: the delay still comes from RetryInfo in the body.
      {
        scenario: 'rate-limited-with-header',
        kind: 'rate-limited',
        retryable: true,
        status: 429,
        retryAfterMs: 42_000,
      },
      {
        scenario: 'quota-exhausted',
        kind: 'quota-exhausted',
        retryable: false,
        status: 429,
        retryAfterMs: 42_000,
      },
      // A bare array body is invisible through the SDK: classified by status alone.
      { scenario: 'array-wrapped', kind: 'rate-limited', retryable: true, status: 429 },
      {
        scenario: 'nested-array-message',
        kind: 'quota-exhausted',
        retryable: false,
        status: 429,
        retryAfterMs: 42_000,
      },
      // Google's 503 carries no RetryInfo.
      { scenario: 'unavailable', kind: 'overloaded', retryable: true, status: 503 },
      { scenario: 'internal', kind: 'overloaded', retryable: true, status: 500 },
    ],
    finishCases: [
      { scenario: 'truncated', unified: 'length' },
      { scenario: 'safety', unified: 'content-filter' },
      { scenario: 'prompt-blocked', unified: 'content-filter' },
    ],
    arrangeMissingLogprobs: async () => {
      standIn.fail('no-logprobs');
      return { config: geminiConfig(standIn.url), close: async () => {} };
    },
  };
});

describe('gemini adapter specifics', () => {
  let standIn: GeminiStandIn;
  before(async () => {
    standIn = await startGeminiStandIn({ apiKey, logprobsRefusingModels: ['gemini-2.5-flash'] });
  });
  after(() => standIn.close());

  test('a logprobs refusal is classified, remembered, and later calls stop asking', async () => {
    const model = createProvider({
      config: geminiConfig(standIn.url, { model: 'gemini-2.5-flash' }),
    });
    assert.equal(model.capabilities().logprobs, true);
    await assert.rejects(
      model.doGenerate(conformanceRequest({ topLogprobs: 5 })),
      (error: unknown) => {
        assert.ok(error instanceof ProviderCallError);
        assert.equal(error.kind, 'logprobs-unsupported');
        assert.equal(error.retryable, false);
        assert.match(error.message, /Logprobs is not enabled for models\/gemini-2.5-flash/);
        return true;
      },
    );
    assert.equal(model.capabilities().logprobs, false);
    const result = await model.doGenerate(conformanceRequest({ topLogprobs: 5 }));
    const config = (standIn.calls.at(-1)?.body as { generationConfig: Record<string, unknown> })
      .generationConfig;
    assert.equal(config.responseLogprobs, undefined);
    assert.equal(result.choices[0]?.logprobs, undefined);
    assert.ok(
      result.warnings.some(
        (warning) => warning.type === 'unsupported' && warning.feature === 'logprobs',
      ),
    );
    // Other models of the same kind are unaffected.
    const other = createProvider({ config: geminiConfig(standIn.url) });
    assert.equal(other.capabilities().logprobs, true);
  });

  test('"Logprobs is not supported" is the same refusal', async () => {
    const model = createProvider({ config: geminiConfig(standIn.url) });
    standIn.fail('logprobs-not-supported');
    await assert.rejects(model.doGenerate(conformanceRequest({ topLogprobs: 3 })), {
      kind: 'logprobs-unsupported',
    });
    assert.equal(model.capabilities().logprobs, false);
  });

  test('sends the key in x-goog-api-key, clamps logprobs and candidateCount, asks JSON by mime type', async () => {
    const model = createProvider({ config: geminiConfig(standIn.url) });
    const result = await model.doGenerate(
      conformanceRequest({ topLogprobs: 40, samples: 20, json: true, seed: 3 }),
    );
    const call = standIn.calls.at(-1);
    assert.equal(call?.headers['x-goog-api-key'], apiKey);
    assert.equal(call?.query.key, undefined);
    assert.equal(call?.path, '/v1beta/models/gemini-2.0-flash:generateContent');
    const body = call?.body as {
      generationConfig: Record<string, unknown>;
      systemInstruction?: unknown;
    };
    assert.deepEqual(body.generationConfig, {
      maxOutputTokens: 8,
      temperature: 0,
      candidateCount: 8,
      seed: 3,
      responseLogprobs: true,
      logprobs: 20,
      responseMimeType: 'application/json',
    });
    assert.ok(body.systemInstruction, 'system text goes to systemInstruction');
    assert.equal(result.choices.length, 8);
    assert.ok(
      result.warnings.some(
        (warning) => warning.type === 'unsupported' && warning.feature === 'samples',
      ),
    );
    assert.ok(!JSON.stringify(result.raw).includes(apiKey));
    assert.equal(
      typeof (result.raw.responseBody as { text?: unknown }).text,
      'undefined',
      'SDK helpers stripped',
    );
  });

  test('a baseURL ending in the API version is accepted', async () => {
    const model = createProvider({ config: geminiConfig(`${standIn.url}/v1beta`) });
    const result = await model.doGenerate(conformanceRequest());
    assert.equal(result.raw.url, `${standIn.url}/v1beta/models/gemini-2.0-flash:generateContent`);
  });

  test('capabilities', () => {
    const model = createProvider({ config: geminiConfig(standIn.url) });
    assert.deepEqual(model.capabilities(), {
      logprobs: true,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 8,
      images: true,
      guidedChoice: false,
    });
  });

  test('over maxConcurrency the stand-in answers RESOURCE_EXHAUSTED per minute', async () => {
    const busy = await startGeminiStandIn({ apiKey, maxConcurrency: 1, latencyMs: 200 });
    try {
      const model = createProvider({ config: geminiConfig(busy.url) });
      const outcomes = await Promise.allSettled([
        model.doGenerate(conformanceRequest()),
        model.doGenerate(conformanceRequest()),
      ]);
      const rejected = outcomes.filter(
        (outcome) => outcome.status === 'rejected',
      ) as PromiseRejectedResult[];
      assert.equal(rejected.length, 1);
      assert.equal((rejected[0]?.reason as ProviderCallError).kind, 'rate-limited');
    } finally {
      await busy.close();
    }
  });
});

describe('gemini normalisers', () => {
  test('logprobs pair chosen and top candidates by index and tolerate misalignment', () => {
    const tokens = normalizeGeminiLogprobs({
      chosenCandidates: [
        { token: 'C', tokenId: 1, logProbability: -0.3 },
        { token: '.', tokenId: 2 },
      ],
      topCandidates: [
        {
          candidates: [
            { token: 'C', logProbability: -0.3 },
            { token: 'B', logProbability: -1.6 },
          ],
        },
      ],
    });
    assert.deepEqual(tokens, [
      {
        token: 'C',
        logprob: -0.3,
        top: [
          { token: 'C', logprob: -0.3 },
          { token: 'B', logprob: -1.6 },
        ],
      },
      { token: '.', logprob: 0, top: [] },
    ]);
    assert.deepEqual(
      normalizeGeminiLogprobs({
        topCandidates: [{ candidates: [{ token: 'A', logProbability: -0.1 }] }],
      }),
      [{ token: 'A', logprob: -0.1, top: [{ token: 'A', logprob: -0.1 }] }],
    );
    assert.equal(normalizeGeminiLogprobs(undefined), undefined);
    assert.equal(normalizeGeminiLogprobs({ chosenCandidates: 'nonsense' }), undefined);
    assert.deepEqual(
      normalizeGeminiLogprobs({ chosenCandidates: [null, 7, { token: 'D', logProbability: -2 }] }),
      [{ token: 'D', logprob: -2, top: [] }],
    );
  });

  test('an error body nested in the message, wrapped in an array, is unpacked', () => {
    const inner = [
      {
        error: {
          code: 429,
          message: 'Quota exceeded',
          status: 'RESOURCE_EXHAUSTED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
              violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel' }],
            },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3.5s' },
          ],
        },
      },
    ];
    const sdkError = new GoogleGenerativeAIFetchError(
      `Error fetching from https://example.test/v1beta/models/m:generateContent?key=${apiKey}: [429 Too Many Requests] ${JSON.stringify(inner)}`,
      429,
      'Too Many Requests',
    );
    const error = mapGeminiError(sdkError, {
      url: 'https://example.test',
      requestBody: {},
      apiKey,
      timedOut: false,
    });
    assert.equal(error.kind, 'quota-exhausted');
    assert.equal(error.retryAfterMs, 3500);
    assert.ok(!error.message.includes(apiKey));
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { buildProviderConfig } from '../../helpers/build-provider-config.ts';
import {
  conformanceRequest,
  defineProviderConformanceSuite,
} from '../../conformance/provider-conformance.ts';
import { startVllmStandIn } from '../../stand-ins/vllm-stand-in.ts';
import type { VllmStandIn } from '../../stand-ins/vllm-stand-in.ts';
import { readChatImage } from '../../helpers/read-chat-image.ts';
import { ACTION_LABELS } from '@teacher-gateway/trainer/internal/envs/grid-world/action';

const apiKey = 'vllm-conformance-token-0123456789';
const actions = ACTION_LABELS.slice(0, 4);

function vllmConfig(baseURL: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return buildProviderConfig({ id: 'local-vlm', kind: 'openai-compatible', model: 'Qwen2.5-VL-7B-Instruct', apiKey, baseURL, ...overrides });
}

defineProviderConformanceSuite('vllm (openai-compatible)', async () => {
  const standIn = await startVllmStandIn({ apiKey, model: 'Qwen2.5-VL-7B-Instruct' });
  return {
    config: vllmConfig(standIn.url),
    standIn,
    logprobs: true,
    samplesReturned: 3,
    readImage: readChatImage,
    errorCases: [
      { scenario: 'unauthorized', kind: 'unauthorized', retryable: false, status: 401 },
      { scenario: 'invalid-request', kind: 'invalid-request', retryable: false, status: 400 },
      {
        scenario: 'invalid-request-legacy',
        kind: 'invalid-request',
        retryable: false,
        status: 400,
      },
      { scenario: 'not-found', kind: 'invalid-request', retryable: false, status: 404 },
      { scenario: 'server-error', kind: 'overloaded', retryable: true, status: 500 },
      { scenario: 'overloaded', kind: 'overloaded', retryable: true, status: 503 },
      { scenario: 'overloaded-legacy', kind: 'overloaded', retryable: true, status: 503 },
    ],
    finishCases: [{ scenario: 'truncated', unified: 'length' }],
    arrangeMissingLogprobs: async () => {
      standIn.fail('no-logprobs');
      return { config: vllmConfig(standIn.url), close: async () => {} };
    },
  };
});

describe('vllm specifics', () => {
  let standIn: VllmStandIn;
  before(async () => {
    standIn = await startVllmStandIn({ maxLogprobs: 5 });
  });
  after(() => standIn.close());

  test('guided_choice is sent when enabled and the answer comes from the list', async () => {
    const model = createProvider({
      config: vllmConfig(standIn.url, { apiKey: undefined, guidedChoice: true }),
    });
    assert.equal(model.capabilities().guidedChoice, true);
    standIn.respondWith(() => ({ text: 'fly away' }));
    const result = await model.doGenerate(
      conformanceRequest({ guidedChoice: actions, topLogprobs: 4, samples: 4, temperature: 1 }),
    );
    standIn.respondWith(undefined);
    const body = standIn.calls.at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body.guided_choice, actions);
    assert.equal(body.max_tokens, 8);
    assert.equal(body.max_completion_tokens, undefined);
    assert.equal(result.choices.length, 4);
    for (const choice of result.choices) assert.ok(actions.includes(choice.text), choice.text);
    const top = result.choices[0]?.logprobs?.[0]?.top.map((candidate) => candidate.token) ?? [];
    assert.deepEqual([...top].sort(), [...actions].sort());
  });

  test('guided_choice is not sent when the config does not enable it', async () => {
    const model = createProvider({ config: vllmConfig(standIn.url, { apiKey: undefined }) });
    assert.equal(model.capabilities().guidedChoice, false);
    await model.doGenerate(conformanceRequest({ guidedChoice: actions }));
    assert.equal((standIn.calls.at(-1)?.body as Record<string, unknown>).guided_choice, undefined);
  });

  test('no key configured sends a placeholder bearer', async () => {
    const model = createProvider({ config: vllmConfig(standIn.url, { apiKey: undefined }) });
    await model.doGenerate(conformanceRequest());
    assert.equal(standIn.calls.at(-1)?.headers.authorization, 'Bearer not-needed');
  });

  test("top_logprobs above --max-logprobs is the server's 400 with an integer code", async () => {
    const model = createProvider({ config: vllmConfig(standIn.url, { apiKey: undefined }) });
    await assert.rejects(
      model.doGenerate(conformanceRequest({ topLogprobs: 10 })),
      (error: Record<string, unknown>) => {
        assert.equal(error.kind, 'invalid-request');
        assert.match(String(error.message), /greater than max allowed: 5/);
        assert.equal(
          (error.raw as { responseBody: { error: { code: unknown } } }).responseBody.error.code,
          400,
        );
        return true;
      },
    );
  });

  test('the legacy flat error body keeps its message', async () => {
    const model = createProvider({ config: vllmConfig(standIn.url, { apiKey: undefined }) });
    standIn.fail('invalid-request-legacy');
    await assert.rejects(
      model.doGenerate(conformanceRequest()),
      (error: Record<string, unknown>) => {
        assert.match(
          String(error.message),
          /400 BadRequestError: This model's maximum context length/,
        );
        return true;
      },
    );
  });

  test('logprobs can be switched off by config', async () => {
    const model = createProvider({
      config: vllmConfig(standIn.url, { apiKey: undefined, logprobs: false }),
    });
    assert.equal(model.capabilities().logprobs, false);
    const result = await model.doGenerate(conformanceRequest({ topLogprobs: 3 }));
    assert.equal((standIn.calls.at(-1)?.body as Record<string, unknown>).logprobs, undefined);
    assert.ok(
      result.warnings.some(
        (warning) => warning.type === 'unsupported' && warning.feature === 'logprobs',
      ),
    );
  });

  test('over maxConcurrency the stand-in answers 503', async () => {
    const busy = await startVllmStandIn({ maxConcurrency: 1, latencyMs: 200 });
    try {
      const model = createProvider({ config: vllmConfig(busy.url, { apiKey: undefined }) });
      const outcomes = await Promise.allSettled([
        model.doGenerate(conformanceRequest()),
        model.doGenerate(conformanceRequest()),
      ]);
      const rejected = outcomes.filter(
        (outcome) => outcome.status === 'rejected',
      ) as PromiseRejectedResult[];
      assert.equal(rejected.length, 1);
      assert.equal((rejected[0]?.reason as { kind: string }).kind, 'overloaded');
    } finally {
      await busy.close();
    }
  });
});

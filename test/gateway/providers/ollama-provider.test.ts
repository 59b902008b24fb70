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
import { startOllamaStandIn } from '../../stand-ins/ollama-stand-in.ts';
import type { OllamaStandIn } from '../../stand-ins/ollama-stand-in.ts';
import { readChatImage } from '../../helpers/read-chat-image.ts';

function ollamaConfig(baseURL: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return buildProviderConfig({
    id: 'ollama-llava',
    kind: 'openai-compatible',
    model: 'qwen2.5vl:7b',
    baseURL,
    maxConcurrency: 1,
    ...overrides,
  });
}

defineProviderConformanceSuite('ollama (openai-compatible)', async () => {
  const standIn = await startOllamaStandIn();
  return {
    config: ollamaConfig(standIn.url),
    standIn,
    logprobs: true,
    // Ollama's /v1 ignores `n`.
    samplesReturned: 1,
    readImage: readChatImage,
    errorCases: [
      { scenario: 'queue-full', kind: 'overloaded', retryable: true, status: 503 },
      { scenario: 'not-found', kind: 'invalid-request', retryable: false, status: 404 },
      { scenario: 'server-error', kind: 'overloaded', retryable: true, status: 500 },
      { scenario: 'invalid-request', kind: 'invalid-request', retryable: false, status: 400 },
    ],
    finishCases: [{ scenario: 'truncated', unified: 'length' }],
    arrangeMissingLogprobs: async () => {
      const old = await startOllamaStandIn({ version: '0.12.3' });
      return { config: ollamaConfig(old.url), close: () => old.close() };
    },
  };
});

describe('ollama specifics', () => {
  let standIn: OllamaStandIn;
  before(async () => {
    standIn = await startOllamaStandIn();
  });
  after(() => standIn.close());

  test('images travel as base64 data URLs, which the server accepts', async () => {
    const model = createProvider({ config: ollamaConfig(standIn.url) });
    const result = await model.doGenerate(conformanceRequest());
    assert.match(result.choices[0]?.text ?? '', /^[A-D]$/);
    assert.ok(readChatImage(standIn.calls.at(-1)?.body));
  });

  test('the stand-in rejects http image URLs and unsupported media types like Ollama does', async () => {
    const post = (url: string) =>
      fetch(`${standIn.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'qwen2.5vl:7b',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'what is this?' },
                { type: 'image_url', image_url: { url } },
              ],
            },
          ],
        }),
      });
    const http = await post('https://example.com/cat.png');
    assert.equal(http.status, 400);
    assert.deepEqual(await http.json(), {
      error: {
        message: 'invalid image input',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    assert.equal((await post('data:;base64,iVBORw0KGgo=')).status, 200);

    const model = createProvider({ config: ollamaConfig(standIn.url) });
    const gif = conformanceRequest();
    const user = gif.messages[1];
    assert.ok(user);
    user.parts = user.parts.map((part) =>
      part.type === 'image' ? { ...part, mediaType: 'image/gif' } : part,
    );
    await assert.rejects(model.doGenerate(gif), (error: unknown) => {
      assert.ok(error instanceof ProviderCallError);
      assert.equal(error.kind, 'invalid-request');
      assert.match(error.message, /invalid image input/);
      return true;
    });
  });

  test('queue full answers the native {"error": "<text>"} body, read as overloaded', async () => {
    const model = createProvider({ config: ollamaConfig(standIn.url) });
    standIn.fail('queue-full');
    await assert.rejects(model.doGenerate(conformanceRequest()), (error: unknown) => {
      assert.ok(error instanceof ProviderCallError);
      assert.equal(error.kind, 'overloaded');
      assert.equal(error.retryable, true);
      assert.match(error.message, /server busy, please try again/);
      return true;
    });
  });

  test('over maxConcurrency (OLLAMA_MAX_QUEUE) the stand-in answers 503', async () => {
    const busy = await startOllamaStandIn({ maxConcurrency: 1, latencyMs: 200 });
    try {
      const model = createProvider({ config: ollamaConfig(busy.url) });
      const outcomes = await Promise.allSettled([
        model.doGenerate(conformanceRequest()),
        model.doGenerate(conformanceRequest()),
      ]);
      const rejected = outcomes.filter(
        (outcome) => outcome.status === 'rejected',
      ) as PromiseRejectedResult[];
      assert.equal(rejected.length, 1);
      assert.equal((rejected[0]?.reason as ProviderCallError).kind, 'overloaded');
    } finally {
      await busy.close();
    }
  });

  test('capabilities follow the config', () => {
    const model = createProvider({ config: ollamaConfig(standIn.url, { logprobs: false }) });
    assert.deepEqual(model.capabilities(), {
      logprobs: false,
      maxTopLogprobs: 20,
      samples: true,
      maxSamples: 128,
      images: true,
      guidedChoice: false,
    });
    assert.throws(
      () => createProvider({ config: { ...ollamaConfig(standIn.url), baseURL: undefined } }),
      /baseURL/,
    );
  });
});

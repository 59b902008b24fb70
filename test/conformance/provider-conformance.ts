import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { ProviderConfig } from '@teacher-gateway/gateway/internal/config/config-schema';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import type {
  FinishReason,
  GenerateOptions,
  GenerateResult,
  ProviderErrorKind,
  VisionLanguageModel,
} from '@teacher-gateway/gateway/internal/providers/provider';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { freePort } from '../helpers/free-port.ts';
import type { StandInServer } from '../stand-ins/start-stand-in-server.ts';

export interface ConformanceErrorCase {
  scenario: string;
  kind: ProviderErrorKind;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
}

export interface ConformanceFinishCase {
  scenario: string;
  unified: FinishReason['unified'];
}

export interface ConformanceHarness {
  /** Provider config whose baseURL points at the stand-in. */
  config: ProviderConfig;
  standIn: StandInServer<string>;
  /** Whether this provider returns logprobs by default. */
  logprobs: boolean;
  /** Choices returned when 3 samples are asked (Ollama ignores `n`). */
  samplesReturned: number;
  /** Response headers every success must carry in `raw.headers`. */
  successHeaders?: string[];
  /** Finds the image in a recorded request body, in the provider's wire form. */
  readImage(body: unknown): { mediaType: string; base64: string } | undefined;
  errorCases: ConformanceErrorCase[];
  finishCases: ConformanceFinishCase[];
  /** Arranges an answer without logprobs although asked: a scenario, or a separate server. */
  arrangeMissingLogprobs(): Promise<{ config: ProviderConfig; close(): Promise<void> }>;
}

const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 250]);

/** A request the default stand-in answers understand: four lettered options, one image. */
export function conformanceRequest(overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    messages: [
      {
        role: 'system',
        parts: [{ type: 'text', text: 'You pick actions for an agent. Answer with one letter.' }],
      },
      {
        role: 'user',
        parts: [
          { type: 'image', mediaType: 'image/png', data: image, sha256: 'f'.repeat(64) },
          {
            type: 'text',
            text: 'Options:\nA) turn left\nB) turn right\nC) move forward\nD) pick up\nAnswer:',
          },
        ],
      },
    ],
    maxOutputTokens: 8,
    temperature: 0,
    samples: 1,
    topLogprobs: 0,
    ...overrides,
  };
}

/**
 * The behaviour every provider adapter owes the gateway, checked over real HTTP on loopback
 * against a protocol-faithful stand-in: `setup` starts the stand-in and says what to expect.
 */
export function defineProviderConformanceSuite(
  name: string,
  setup: () => Promise<ConformanceHarness>,
): void {
  describe(`${name} provider conformance`, () => {
    let harness: ConformanceHarness;
    let provider: VisionLanguageModel;
    const secretsSeen: string[] = [];

    const expectFailure = async (promise: Promise<GenerateResult>): Promise<ProviderCallError> => {
      try {
        await promise;
      } catch (error) {
        assert.ok(
          error instanceof ProviderCallError,
          `expected ProviderCallError, got ${String(error)}`,
        );
        secretsSeen.push(error.message, JSON.stringify(error.raw ?? {}));
        return error;
      }
      assert.fail('expected the call to fail');
    };
    const generate = async (
      options: GenerateOptions,
      model = provider,
    ): Promise<GenerateResult> => {
      const result = await model.doGenerate(options);
      secretsSeen.push(JSON.stringify(result.raw));
      return result;
    };

    before(async () => {
      harness = await setup();
      provider = createProvider({ config: harness.config });
    });
    afterEach(() => {
      harness.standIn.respondWith(undefined);
      harness.standIn.setLatency(0);
    });
    after(async () => {
      await harness.standIn.close();
    });

    test('a plain call returns text, usage, a finish reason and the raw exchange', async () => {
      const before = harness.standIn.calls.length;
      const result = await generate(conformanceRequest());
      assert.equal(harness.standIn.calls.length, before + 1);
      assert.equal(result.choices.length, 1);
      const [choice] = result.choices;
      assert.match(choice?.text ?? '', /^[A-D]$/);
      assert.equal(choice?.finishReason.unified, 'stop');
      assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0, 'usage reported');
      assert.equal(result.raw.status, 200);
      assert.ok(result.raw.url.startsWith(new URL(harness.standIn.url).origin), result.raw.url);
      assert.equal(
        (result.raw.requestBody as { model?: string }).model ?? harness.config.model,
        harness.config.model,
      );
      assert.equal(typeof result.raw.responseBody, 'object');
      for (const header of harness.successHeaders ?? [])
        assert.ok(header in result.raw.headers, `raw.headers has ${header}`);
      assert.deepEqual(result.warnings, []);
    });

    test('a scripted answer comes back verbatim', async () => {
      harness.standIn.respondWith(() => ({ text: 'B' }));
      const result = await generate(conformanceRequest());
      assert.equal(result.choices[0]?.text, 'B');
    });

    test('the image part is delivered in the provider wire form', async () => {
      await generate(conformanceRequest());
      const sent = harness.readImage(harness.standIn.calls.at(-1)?.body);
      assert.deepEqual(sent, {
        mediaType: 'image/png',
        base64: Buffer.from(image).toString('base64'),
      });
    });

    test(
      'logprobs are normalised into tokens with alternatives when asked',
      { skip: false },
      async (t) => {
        if (!harness.logprobs) return t.skip('provider does not return logprobs');
        const result = await generate(conformanceRequest({ topLogprobs: 5 }));
        const logprobs = result.choices[0]?.logprobs;
        assert.ok(logprobs && logprobs.length > 0, 'logprobs present');
        const answer = logprobs.find((token) => /^[A-D]$/.test(token.token));
        assert.ok(answer, 'the answer letter is a token');
        assert.ok(answer.logprob <= 0);
        assert.ok(
          answer.top.length > 1 && answer.top.length <= 5,
          `top has ${answer.top.length} entries`,
        );
        assert.ok(
          answer.top.every(
            (candidate) =>
              typeof candidate.token === 'string' && typeof candidate.logprob === 'number',
          ),
        );
        const letters = new Set(answer.top.map((candidate) => candidate.token));
        assert.ok(letters.has('A') && letters.has('C'), 'alternatives include other letters');
        assert.deepEqual(result.warnings, []);
      },
    );

    test('an answer without logprobs, though asked, is a warning not an error', async () => {
      const arranged = await harness.arrangeMissingLogprobs();
      try {
        const model = createProvider({ config: arranged.config });
        const result = await generate(conformanceRequest({ topLogprobs: 5 }), model);
        assert.equal(result.choices[0]?.logprobs, undefined);
        assert.match(result.choices[0]?.text ?? '', /^[A-D]$/);
        assert.ok(
          result.warnings.some(
            (warning) => warning.type === 'unsupported' && warning.feature === 'logprobs',
          ),
          JSON.stringify(result.warnings),
        );
      } finally {
        await arranged.close();
      }
    });

    test('samples come back as separate choices', async () => {
      const result = await generate(conformanceRequest({ samples: 3, temperature: 1 }));
      assert.equal(result.choices.length, harness.samplesReturned);
      for (const choice of result.choices) assert.match(choice.text, /^[A-D]$/);
      if (harness.samplesReturned < 3) {
        assert.ok(
          result.warnings.some(
            (warning) => warning.type === 'unsupported' && warning.feature === 'samples',
          ),
        );
      } else {
        // The default stand-in answers spread samples over the distribution.
        assert.ok(new Set(result.choices.map((choice) => choice.text)).size > 1);
      }
    });

    test('JSON mode asks for a JSON answer', async () => {
      const result = await generate(conformanceRequest({ json: true }));
      assert.deepEqual(JSON.parse(result.choices[0]?.text ?? ''), { action: 'C' });
    });

    test('finish reasons are unified', async () => {
      for (const finish of harness.finishCases) {
        harness.standIn.fail(finish.scenario);
        const result = await generate(conformanceRequest());
        assert.equal(result.choices[0]?.finishReason.unified, finish.unified, finish.scenario);
        assert.equal(
          typeof result.choices[0]?.finishReason.raw,
          'string',
          `${finish.scenario} keeps the raw reason`,
        );
      }
    });

    test('each error class maps to its kind, retryability and delay', async () => {
      for (const expected of harness.errorCases) {
        harness.standIn.fail(expected.scenario);
        const error = await expectFailure(provider.doGenerate(conformanceRequest()));
        assert.equal(error.kind, expected.kind, `${expected.scenario}: ${error.message}`);
        assert.equal(error.retryable, expected.retryable, `${expected.scenario} retryable`);
        if (expected.status !== undefined)
          assert.equal(error.status, expected.status, `${expected.scenario} status`);
        assert.equal(
          error.retryAfterMs,
          expected.retryAfterMs,
          `${expected.scenario} retryAfterMs`,
        );
        assert.equal(error.raw?.status, error.status, `${expected.scenario} raw status`);
        assert.ok(error.raw?.requestBody, `${expected.scenario} raw request kept`);
        assert.ok(error.message.length > 5, `${expected.scenario} has a message`);
      }
    });

    test('no answer within timeoutMs is a retryable timeout', async () => {
      harness.standIn.setLatency(600);
      const model = createProvider({ config: { ...harness.config, timeoutMs: 150 } });
      const error = await expectFailure(model.doGenerate(conformanceRequest()));
      assert.equal(error.kind, 'timeout');
      assert.equal(error.retryable, true);
    });

    test("the gateway's own deadline (a TimeoutError abort) is a timeout, a plain abort is not retryable", async () => {
      harness.standIn.setLatency(600);
      const timedOut = await expectFailure(
        provider.doGenerate(conformanceRequest({ signal: AbortSignal.timeout(100) })),
      );
      assert.equal(timedOut.kind, 'timeout');
      assert.equal(timedOut.retryable, true);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await expectFailure(
        provider.doGenerate(conformanceRequest({ signal: controller.signal })),
      );
      assert.equal(aborted.retryable, false);
    });

    test('a refused connection is a retryable network error', async () => {
      const port = await freePort();
      const baseURL = harness.config.baseURL?.replace(/:\d+/, `:${port}`);
      const model = createProvider({
        config: { ...harness.config, ...(baseURL ? { baseURL } : {}) },
      });
      const error = await expectFailure(model.doGenerate(conformanceRequest()));
      assert.equal(error.kind, 'network', error.message);
      assert.equal(error.retryable, true);
    });

    test('no secret appears in raw exchanges or error messages', async (t) => {
      const secret = harness.config.apiKey;
      if (!secret) return t.skip('no key configured');
      await generate(conformanceRequest());
      for (const expected of harness.errorCases) {
        harness.standIn.fail(expected.scenario);
        await expectFailure(provider.doGenerate(conformanceRequest()));
      }
      assert.ok(secretsSeen.length > harness.errorCases.length);
      for (const text of secretsSeen)
        assert.ok(!text.includes(secret), `secret leaked in: ${text.slice(0, 200)}`);
      const last = harness.standIn.calls.at(-1);
      assert.ok(JSON.stringify(last?.headers).includes(secret), 'the key did reach the server');
    });
  });
}


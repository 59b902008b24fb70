import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GatewayApiError, createClient } from '@teacher-gateway/client';
import type { ClientErrorCode, GatewayClient } from '@teacher-gateway/client';
import { startGatewayWithStandIn } from '../helpers/start-gateway-with-stand-in.ts';
import type { EndToEndGateway } from '../helpers/start-gateway-with-stand-in.ts';
import type { OpenAIScenario } from '../stand-ins/openai-stand-in.ts';
import { minigridRequest } from '../helpers/minigrid-request.ts';

const token = 'e2e-token';

async function expectError(
  promise: Promise<unknown>,
  expected: { code: ClientErrorCode; status: number; retryable: boolean },
): Promise<GatewayApiError> {
  let caught: unknown;
  await promise.then(
    () => assert.fail(`expected ${expected.code}, got a result`),
    (error: unknown) => (caught = error),
  );
  assert.ok(caught instanceof GatewayApiError, `expected a GatewayApiError, got ${String(caught)}`);
  assert.deepEqual(
    { code: caught.code, status: caught.status, retryable: caught.retryable },
    expected,
    caught.message,
  );
  return caught;
}

describe('every error code of API.md surfaces as a typed GatewayApiError', () => {
  let gateway: EndToEndGateway;
  let client: GatewayClient;
  before(async () => {
    gateway = await startGatewayWithStandIn({ tokens: [token], bodyLimitBytes: 32 * 1024 });
    client = createClient({ baseUrl: gateway.url, token, retries: 0 });
  });
  after(async () => {
    await client.close();
    await gateway.close();
  });

  test('400 invalid_request, with the zod issues in details', async () => {
    const error = await expectError(
      client.suggest(minigridRequest('bad', { actions: { kind: 'discrete', labels: [] } })),
      { code: 'invalid_request', status: 400, retryable: false },
    );
    assert.ok(Array.isArray(error.details.issues));
  });

  test('401 unauthorized without the token, and with a wrong one', async () => {
    for (const tokenless of [
      createClient({ baseUrl: gateway.url }),
      createClient({ baseUrl: gateway.url, token: 'wrong' }),
    ]) {
      await expectError(tokenless.suggest(minigridRequest('no token')), {
        code: 'unauthorized',
        status: 401,
        retryable: false,
      });
      await tokenless.close();
    }
  });

  test('404 not_found for an unknown template and an unknown image hash', async () => {
    await expectError(client.suggest(minigridRequest('x', { template: 'no-such-template' })), {
      code: 'not_found',
      status: 404,
      retryable: false,
    });
    const error = await expectError(
      client.suggest(
        minigridRequest('x', { observation: { image: { sha256: 'a'.repeat(64) }, text: 'x' } }),
      ),
      { code: 'not_found', status: 404, retryable: false },
    );
    assert.equal(error.details.sha256, 'a'.repeat(64));
  });

  test('404 not_cached when cache "only" misses', async () => {
    await expectError(client.suggest(minigridRequest('never asked', { cache: 'only' })), {
      code: 'not_cached',
      status: 404,
      retryable: false,
    });
  });

  test('413 payload_too_large over server.bodyLimitBytes', async () => {
    await expectError(client.suggest(minigridRequest('x'.repeat(40_000))), {
      code: 'payload_too_large',
      status: 413,
      retryable: false,
    });
  });

  test('422 unparsable_response when the model answers something the parser cannot use', async () => {
    gateway.standIn.respondWith(() => ({
      text: 'I am not sure',
      logprobs: [{ token: 'I', logprob: -0.1, top: [{ token: 'I', logprob: -0.1 }] }],
    }));
    try {
      const error = await expectError(client.suggest(minigridRequest('unparsable')), {
        code: 'unparsable_response',
        status: 422,
        retryable: false,
      });
      assert.equal(error.details.rawText, 'I am not sure');
    } finally {
      gateway.standIn.respondWith(undefined);
    }
  });
});

describe('provider failures surface with their status and retryable flag', () => {
  const cases: Array<{ scenario: OpenAIScenario | 'slow'; code: ClientErrorCode; status: number }> =
    [
      { scenario: 'rate-limited', code: 'rate_limited', status: 429 },
      { scenario: 'server-error', code: 'provider_error', status: 502 },
      { scenario: 'quota-exhausted', code: 'provider_unavailable', status: 503 },
      { scenario: 'slow', code: 'provider_timeout', status: 504 },
    ];
  for (const { scenario, code, status } of cases) {
    test(`${status} ${code} (${scenario} upstream)`, async () => {
      // A gateway each, so one failure's pause or open circuit cannot leak into the next case.
      const gateway = await startGatewayWithStandIn({ providerTimeoutMs: 300 });
      const client = createClient({ baseUrl: gateway.url, retries: 0 });
      try {
        if (scenario === 'slow') gateway.standIn.setLatency(1_000);
        else gateway.standIn.fail(scenario);
        const error = await expectError(client.suggest(minigridRequest(scenario)), {
          code,
          status,
          retryable: true,
        });
        if (code === 'rate_limited')
          assert.ok((error.retryAfterMs ?? 0) >= 1000, 'Retry-After reaches the client');
      } finally {
        await client.close();
        await gateway.close();
      }
    });
  }

  test('the client retries a rate_limited answer after Retry-After and then succeeds', async () => {
    const gateway = await startGatewayWithStandIn();
    const waits: number[] = [];
    const client = createClient({
      baseUrl: gateway.url,
      retries: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      gateway.standIn.fail('rate-limited');
      const suggestion = await client.suggest(minigridRequest('retry me'));
      assert.equal(suggestion.cache, 'miss');
      assert.equal(waits.length, 1);
      assert.ok(waits[0]! >= 1000, `waited ${waits[0]} ms, the gateway asked for Retry-After`);
    } finally {
      await client.close();
      await gateway.close();
    }
  });

  test('a failed item of a teacher batch rejects only its own promise with the item error', async () => {
    const gateway = await startGatewayWithStandIn();
    const client = createClient({ baseUrl: gateway.url, retries: 0 });
    try {
      const teacher = client.teacher({
        template: 'minigrid-lvlm2p',
        actions: minigridRequest('').actions,
        images: 'inline',
      });
      const image = minigridRequest('').observation.image as string;
      const settled = await Promise.allSettled([
        teacher.suggest({ image, text: 'fine' }),
        teacher.suggest({ image: { sha256: 'b'.repeat(64) }, text: 'unknown image' }),
        teacher.suggest({ image, text: 'x'.repeat(100_001) }),
      ]);
      assert.deepEqual(
        settled.map((outcome) => outcome.status),
        ['fulfilled', 'rejected', 'rejected'],
      );
      const [, missing, invalid] = settled as [
        unknown,
        PromiseRejectedResult,
        PromiseRejectedResult,
      ];
      assert.ok(
        missing.reason instanceof GatewayApiError &&
          missing.reason.code === 'not_found' &&
          missing.reason.status === 404,
      );
      assert.ok(
        invalid.reason instanceof GatewayApiError &&
          invalid.reason.code === 'invalid_request' &&
          invalid.reason.status === 400,
      );
    } finally {
      await client.close();
      await gateway.close();
    }
  });
});

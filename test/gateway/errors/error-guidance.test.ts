// Errors a new user meets on a first run say what to do (issue 17.4).
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { GatewayError } from '@teacher-gateway/gateway/internal/errors/gateway-error';
import { createReachabilityProbe } from '@teacher-gateway/gateway/internal/providers/create-reachability-probe';
import { ProviderCallError } from '@teacher-gateway/gateway/internal/providers/provider';
import { describeChainFailure } from '@teacher-gateway/gateway/internal/suggestion/describe-chain-failure';
import { mapProviderError } from '@teacher-gateway/gateway/internal/suggestion/map-provider-error';
import { createRealProviderGateway } from '../../helpers/create-real-provider-gateway.ts';
import { suggestionRequest } from '../../helpers/create-test-gateway.ts';
import { freePort } from '../../helpers/free-port.ts';

/** The shipped chain (two keyed providers, then the simulated teacher) with no key set. */
async function keylessGateway(simulatedPort: number, probe = false) {
  const yaml = `storage: { path: ":memory:" }
defaultProvider: openai-mini
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: "\${OPENAI_API_KEY}" }
  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: "\${GEMINI_API_KEY}" }
  - { id: simulated, kind: openai-compatible, baseURL: "http://127.0.0.1:${simulatedPort}/v1", model: simulated-planner, maxRetries: 0 }
fallbacks: { openai-mini: [gemini-flash, simulated] }
`;
  return createRealProviderGateway(yaml, {
    sleep: async () => {},
    ...(probe ? { probeReachability: createReachabilityProbe({ timeoutMs: 2_000 }) } : {}),
  });
}

describe('errors that say what to do', () => {
  test('a request no provider of the chain can answer names every provider tried and what each needs', async () => {
    const port = await freePort();
    const gateway = await keylessGateway(port);
    const response = await gateway.app.request('/v1/suggestions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(suggestionRequest({ observation: { text: 'go' }, template: 'minigrid-text' })),
    });
    const body = (await response.json()) as { error: { code: string; message: string; details: { chain: { provider: string }[] } } };
    assert.ok(response.status >= 500, JSON.stringify(body));
    const { message } = body.error;
    assert.match(message, /openai-mini → gemini-flash → simulated/);
    assert.match(message, /OPENAI_API_KEY/);
    assert.match(message, /GEMINI_API_KEY/);
    assert.match(message, new RegExp(`unreachable at http://127\\.0\\.0\\.1:${port}/v1`));
    assert.match(message, new RegExp(`teacher-train simulated-vlm --port ${port}`));
    assert.deepEqual(body.error.details.chain.map((step) => step.provider), ['openai-mini', 'gemini-flash', 'simulated']);
    await gateway.flush();
  });

  test('one provider tried: its own error, unchanged', () => {
    const error = new GatewayError('rate_limited', 'slow down', { provider: 'a' }, 3);
    assert.equal(describeChainFailure([{ provider: 'a', error }]), error);
  });

  test('the chain keeps the last error code and its Retry-After', () => {
    const combined = describeChainFailure([
      { provider: 'a', error: new GatewayError('provider_unavailable', 'a is unavailable: missing API key: set the environment variable A_KEY', { reason: 'missing API key: set the environment variable A_KEY' }) },
      { provider: 'b', error: new GatewayError('rate_limited', 'b is rate-limiting: quota', { provider: 'b' }, 7) },
    ]);
    assert.equal(combined.code, 'rate_limited');
    assert.equal(combined.retryAfterSeconds, 7);
    assert.equal(combined.message, 'no provider of the chain a → b could answer: a: missing API key: set the environment variable A_KEY; b is rate-limiting: quota');
  });

  test('a refused connection names the URL; for the simulated teacher, the command that starts it', () => {
    const refused = new ProviderCallError({ kind: 'network', message: 'connection failed: ECONNREFUSED', retryable: true, raw: { url: 'http://127.0.0.1:8000/v1/chat/completions' } });
    const local = mapProviderError('local-vlm', refused, { model: 'Qwen2.5-VL-7B-Instruct' });
    assert.equal(local.message, 'local-vlm is unreachable at http://127.0.0.1:8000/v1/chat/completions: connection failed: ECONNREFUSED');
    assert.equal(local.details.url, 'http://127.0.0.1:8000/v1/chat/completions');
    const simulated = mapProviderError('simulated', refused, { model: 'simulated-planner' });
    assert.match(simulated.message, /; start it with: npx teacher-train simulated-vlm --port 8000/);
  });

  test('GET /v1/providers lists a self-hosted upstream that does not listen as unreachable', async () => {
    const port = await freePort();
    const gateway = await keylessGateway(port, true);
    const { providers } = (await (await gateway.app.request('/v1/providers')).json()) as {
      providers: { id: string; available: boolean; reason?: string }[];
    };
    const simulated = providers.find((provider) => provider.id === 'simulated');
    assert.equal(simulated?.available, false);
    assert.match(simulated?.reason ?? '', new RegExp(`unreachable: nothing answers at http://127\\.0\\.0\\.1:${port}/v1 \\(ECONNREFUSED\\)`));

    const listening = createServer();
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    try {
      const open = await keylessGateway((listening.address() as AddressInfo).port, true);
      const again = (await (await open.app.request('/v1/providers')).json()) as { providers: { id: string; available: boolean }[] };
      assert.equal(again.providers.find((provider) => provider.id === 'simulated')?.available, true);
    } finally {
      listening.close();
    }
  });

  test('the probe reuses an answer for its time to live, then asks again', async () => {
    let dials = 0;
    let clock = 0;
    const probe = createReachabilityProbe({
      now: () => clock,
      ttlMs: 1_000,
      connectTo: async () => {
        dials += 1;
        if (dials > 1) throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
      },
    });
    assert.equal(await probe('http://127.0.0.1:9/v1'), undefined);
    assert.equal(await probe('http://127.0.0.1:9/v1'), undefined);
    clock = 1_000;
    assert.match((await probe('http://127.0.0.1:9/v1')) ?? '', /ECONNREFUSED/);
    assert.equal(dials, 2);
  });

  test('Prometheus names carry the prefix once: teacher_gateway_process_cpu_seconds_total', async () => {
    const gateway = await keylessGateway(await freePort());
    const text = await (await gateway.app.request('/metrics')).text();
    assert.match(text, /^teacher_gateway_process_cpu_seconds_total /m);
    assert.match(text, /^teacher_gateway_nodejs_heap_size_used_bytes /m);
    assert.doesNotMatch(text, /process_process|process_nodejs/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ErrorBodySchema } from '@teacher-gateway/client';
import { ProviderConfigSchema } from '@teacher-gateway/gateway/internal/config/config-schema';
import { createProvider } from '@teacher-gateway/gateway/internal/providers/registry';
import { createTestGateway, suggestionRequest } from '../../helpers/create-test-gateway.ts';
import type { TestGateway } from '../../helpers/create-test-gateway.ts';
import { distinctPng } from '../../helpers/distinct-png.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { OpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';
import type { FaultyUpstream, UpstreamFault } from '../../helpers/start-faulty-upstream.ts';
import { startFaultyUpstream } from '../../helpers/start-faulty-upstream.ts';

const apiKey = 'sk-faults-0123456789';
let standIn: OpenAIStandIn;
let upstream: FaultyUpstream;

before(async () => {
  standIn = await startOpenAIStandIn({ apiKey });
  upstream = await startFaultyUpstream(standIn.url);
});
after(async () => {
  await upstream.close();
  await standIn.close();
});

/** `primary` goes through the faulty proxy; `backup` talks to the stand-in directly. */
function faultGateway(options: { maxRetries?: number; timeoutMs?: number; fallback?: boolean } = {}): TestGateway {
  const primary = { id: 'primary', kind: 'openai', model: 'gpt-4o-mini', apiKey, baseURL: upstream.url, maxRetries: options.maxRetries ?? 2, timeoutMs: options.timeoutMs ?? 10_000 };
  const backup = { id: 'backup', kind: 'openai', model: 'gpt-4o', apiKey, baseURL: standIn.url, maxRetries: 0 };
  return createTestGateway({
    yaml: `storage: { path: ":memory:" }
batching: { windowMs: 0 }
defaultProvider: primary
providers:
  - ${JSON.stringify(primary)}
  - ${JSON.stringify(backup)}
${options.fallback ? 'fallbacks: { primary: [backup] }' : ''}
`,
    providers: {
      primary: createProvider({ config: ProviderConfigSchema.parse(primary) }),
      backup: createProvider({ config: ProviderConfigSchema.parse(backup) }),
    },
  });
}

let step = 0;
const fresh = () => suggestionRequest({ observation: { image: distinctPng((step += 1)), text: `fault ${step}` } });

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = ErrorBodySchema.parse(await response.json());
  return { status: response.status, code: body.error.code, message: body.error.message };
}

async function storedFor(gateway: TestGateway, request: unknown): Promise<number> {
  return ((await (await gateway.post('/v1/cache/explain', request)).json()) as { stored: number }).stored;
}

describe('upstream faults', () => {
  test('garbage 200s (HTML, truncated JSON, wrong shapes, no choices) are a 502 or 422, never cached, and the next call works', async () => {
    const gateway = faultGateway({ maxRetries: 0 });
    const faults: UpstreamFault[] = ['non-json', 'truncated-json', 'wrong-shape', 'empty-choices'];
    for (const fault of faults) {
      upstream.inject(fault);
      const request = fresh();
      const error = await errorOf(await gateway.post('/v1/suggestions', request));
      assert.ok(
        (error.status === 502 && error.code === 'provider_error') || (error.status === 422 && error.code === 'unparsable_response'),
        `${fault}: ${JSON.stringify(error)}`,
      );
      assert.equal(await storedFor(gateway, request), 0, `${fault}: the failure was cached`);
      const retried = await gateway.post('/v1/suggestions', request);
      assert.equal(retried.status, 200, `${fault}: the next call answers`);
      assert.equal(((await retried.json()) as { cache: string }).cache, 'miss');
    }
  });

  test('an upstream that never answers is a 504 provider_timeout within timeoutMs per attempt', async () => {
    const gateway = faultGateway({ maxRetries: 1, timeoutMs: 300 });
    upstream.inject('hang', 2);
    const started = performance.now();
    const error = await errorOf(await gateway.post('/v1/suggestions', fresh()));
    const elapsed = performance.now() - started;
    assert.deepEqual([error.status, error.code], [504, 'provider_timeout'], error.message);
    // Two attempts of 300 ms; the bound is generous for a loaded machine, but far from "forever".
    assert.ok(elapsed < 10_000, `took ${Math.round(elapsed)} ms`);
    assert.equal((await gateway.post('/v1/suggestions', fresh())).status, 200, 'the next call works');
  });

  test('connections reset before or during the answer are retried, and a 502 once retries run out', async () => {
    const gateway = faultGateway({ maxRetries: 2 });
    for (const fault of ['reset', 'reset-mid-body'] as const) {
      upstream.inject(fault, 1);
      const recovered = await gateway.post('/v1/suggestions', fresh());
      assert.equal(recovered.status, 200, `${fault} once: retried`);
      assert.equal(((await recovered.json()) as { usage: { upstreamCalls: number } }).usage.upstreamCalls, 2);
      upstream.inject(fault, 3);
      const request = fresh();
      const error = await errorOf(await gateway.post('/v1/suggestions', request));
      assert.deepEqual([error.status, error.code], [502, 'provider_error'], `${fault} x3: ${error.message}`);
      assert.equal(await storedFor(gateway, request), 0);
    }
  });

  test('a burst of 5xx is retried to success', async () => {
    const gateway = faultGateway({ maxRetries: 3 });
    for (const fault of ['status-500', 'status-502-html'] as const) {
      upstream.inject(fault, 3);
      const response = await gateway.post('/v1/suggestions', fresh());
      assert.equal(response.status, 200, fault);
      assert.equal(((await response.json()) as { usage: { upstreamCalls: number } }).usage.upstreamCalls, 4);
    }
  });

  test('repeated failure opens the circuit: the fallback answers and the failing upstream stops being called', async () => {
    const gateway = faultGateway({ maxRetries: 1, fallback: true });
    upstream.inject('status-500', 1_000);
    const answers: { provider: string; fallbackFrom?: string }[] = [];
    const received: number[] = [];
    for (let index = 0; index < 12; index += 1) {
      const response = await gateway.post('/v1/suggestions', fresh());
      assert.equal(response.status, 200, `request ${index}`);
      answers.push((await response.json()) as { provider: string; fallbackFrom?: string });
      received.push(upstream.requests());
    }
    assert.ok(answers.every((answer) => answer.provider === 'backup' && answer.fallbackFrom === 'primary'));
    const stats = gateway.schedulerFor('primary').stats();
    assert.equal(stats.circuit, 'open');
    // Once open, the primary is no longer asked: the proxy's count stops growing.
    assert.equal(received[received.length - 1], received[received.length - 4], `upstream requests per step: ${received.join(',')}`);
    upstream.clear();
  });
});

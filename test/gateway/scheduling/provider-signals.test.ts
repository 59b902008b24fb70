/**
 * The providers' own retry signals, end to end: the real adapters (createProvider) against the
 * stand-ins, through createGateway and its HTTP app. Waits are recorded instead of slept.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { startVirtualClockGateway } from '../../helpers/start-virtual-clock-gateway.ts';
import { startGeminiStandIn } from '../../stand-ins/gemini-stand-in.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const openAIKey = 'sk-test-signals-000000000000000';
const geminiKey = 'AIza-test-signals-0000000000000';
const openai = await startOpenAIStandIn({ apiKey: openAIKey });
const gemini = await startGeminiStandIn({ apiKey: geminiKey });
after(async () => {
  await openai.close();
  await gemini.close();
});

function gatewayWith(providers: string, extra = '') {
  const { config, missingVariables } = loadConfig(
    `storage: { path: ":memory:" }\nbatching: { windowMs: 0 }\n${extra}\nproviders:\n${providers}`,
    {},
  );
  return startVirtualClockGateway({ config, missingVariables });
}

const openAIProvider = (retries = 3) =>
  `  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: ${openAIKey}, baseURL: "${openai.url}", maxRetries: ${retries} }`;
const geminiProvider = (retries = 3) =>
  `  - { id: gemini-flash, kind: gemini, model: gemini-2.0-flash, apiKey: ${geminiKey}, baseURL: "${gemini.url}", maxRetries: ${retries} }`;
const chatCalls = () => openai.calls.filter((call) => call.path === '/v1/chat/completions').length;
const geminiCalls = () => gemini.calls.length;

describe('provider retry signals through the gateway', () => {
  test('x-should-retry: false stops retries of a 429 at once', async () => {
    const { ask, waits } = gatewayWith(openAIProvider());
    const before = chatCalls();
    openai.fail('rate-limited-no-retry');
    const response = await ask('openai-mini', 'x-should-retry false');
    assert.equal(response.status, 429);
    assert.equal((response.body.error as { code: string }).code, 'rate_limited');
    assert.ok(response.headers.get('retry-after'), 'the client is told when to come back');
    assert.equal(chatCalls() - before, 1);
    assert.deepEqual(waits, []);
  });

  test('a 429 with retry-after is retried no sooner than asked, then answers', async () => {
    const { ask, waits } = gatewayWith(openAIProvider());
    const before = chatCalls();
    openai.fail('rate-limited');
    const response = await ask('openai-mini', 'retry-after');
    assert.equal(response.status, 200);
    assert.equal(chatCalls() - before, 2);
    assert.equal(waits.length, 1);
    assert.ok((waits[0] ?? 0) >= 2000, `waited ${waits[0]} ms; the stand-in asked for 2 s`);
    assert.equal((response.body.usage as { upstreamCalls: number }).upstreamCalls, 2);
  });

  test("Gemini's RetryInfo retryDelay in the body is honoured", async () => {
    const { ask, waits } = gatewayWith(geminiProvider());
    const before = geminiCalls();
    gemini.fail('rate-limited');
    const response = await ask('gemini-flash', 'gemini per-minute quota');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(geminiCalls() - before, 2);
    assert.ok((waits[0] ?? 0) >= 42_000, `waited ${waits[0]} ms; RetryInfo asked for 42s`);
  });

  test('a Gemini per-day quota is not retried and marks the provider unavailable with the reason', async () => {
    const { ask, waits, gateway } = gatewayWith(geminiProvider());
    const before = geminiCalls();
    gemini.fail('quota-exhausted');
    const first = await ask('gemini-flash', 'gemini per-day quota');
    assert.equal(first.status, 503);
    assert.equal((first.body.error as { code: string }).code, 'provider_unavailable');
    assert.equal(
      geminiCalls() - before,
      1,
      'one attempt: waiting minutes does not bring a day back',
    );
    assert.deepEqual(waits, []);
    const listed = (await (await gateway.app.request('/v1/providers')).json()) as {
      providers: { id: string; available: boolean; reason?: string }[];
    };
    const entry = listed.providers.find((provider) => provider.id === 'gemini-flash');
    assert.equal(entry?.available, false);
    assert.match(entry?.reason ?? '', /quota/i);
    const second = await ask('gemini-flash', 'after the per-day quota');
    assert.equal(second.status, 503);
    assert.equal(geminiCalls() - before, 1, 'an unavailable provider is not called again');
  });

  test('insufficient_quota hands over to the configured fallback, reported as fallbackFrom', async () => {
    const { ask } = gatewayWith(
      `${openAIProvider()}\n${geminiProvider()}`,
      'fallbacks: { openai-mini: [gemini-flash] }',
    );
    const before = chatCalls();
    openai.fail('quota-exhausted');
    const response = await ask('openai-mini', 'insufficient quota with a fallback');
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.provider, 'gemini-flash');
    assert.equal(response.body.fallbackFrom, 'openai-mini');
    assert.equal(chatCalls() - before, 1, 'insufficient_quota is not retried');
  });
});

/**
 * Issue 15 item 3: a provider's back-off is obeyed only within bounds. The real OpenAI adapter
 * against its stand-in, through createGateway; waits advance a virtual clock instead of sleeping.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadConfig } from '@teacher-gateway/gateway/internal/config/load-config';
import { createProviderScheduler } from '@teacher-gateway/gateway/internal/scheduling/provider-scheduler';
import { boundTimerMs, maxTimerMs, setBoundedTimeout } from '@teacher-gateway/gateway/internal/scheduling/set-bounded-timeout';
import { createFakeProvider } from '../../helpers/fake-provider.ts';
import { startVirtualClockGateway } from '../../helpers/start-virtual-clock-gateway.ts';
import { startOpenAIStandIn } from '../../stand-ins/openai-stand-in.ts';

const apiKey = 'sk-test-waits-000000000000000000';
const openai = await startOpenAIStandIn({ apiKey });
after(() => openai.close());
const chatCalls = () => openai.calls.filter((call) => call.path === '/v1/chat/completions').length;
const day = 86_400_000;

function gatewayWith(providerFields = '', extra = '') {
  const { config } = loadConfig(
    `storage: { path: ":memory:" }
batching: { windowMs: 0 }
${extra}
providers:
  - { id: openai-mini, kind: openai, model: gpt-4o-mini, apiKey: ${apiKey}, baseURL: "${openai.url}", maxRetries: 3 ${providerFields} }
  - { id: backup, kind: openai, model: backup-model, apiKey: test-key }
`,
    {},
  );
  const backup = createFakeProvider({ id: 'backup', model: 'backup-model' });
  const { ask, waits, timers, elapsed } = startVirtualClockGateway({
    config,
    createProviderFor: (providerConfig) => (providerConfig.id === 'backup' ? backup : undefined),
  });
  return { ask: (text: string) => ask('openai-mini', text), waits, timers, backup, elapsed };
}

describe('provider-requested waits are bounded', () => {
  test('Retry-After: 86400 fails the request at once with 429 and a capped Retry-After; the provider is tried again within the cap', async () => {
    const { ask, waits, timers, elapsed } = gatewayWith();
    openai.setThrottleDelay(day);
    try {
      const before = chatCalls();
      openai.fail('rate-limited');
      const first = await ask('a day-long retry-after');
      assert.equal(first.status, 429, JSON.stringify(first.body));
      assert.equal((first.body.error as { code: string }).code, 'rate_limited');
      assert.equal(first.headers.get('retry-after'), '60', 'capped at providers[].maxRetryAfterMs');
      assert.match((first.body.error as { message: string }).message, /asked to wait 86400 s/);
      assert.equal(chatCalls() - before, 1, 'not retried');
      assert.deepEqual(waits, [], 'the request did not wait');
      // The upstream answers again: the next request waits out at most the cap, then is answered.
      const second = await ask('after the day-long retry-after');
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.ok(elapsed() <= 60_000, `waited ${elapsed()} ms`);
      assert.ok(timers.every((ms) => ms <= 60_000), `timers ${timers.join(', ')}`);
    } finally {
      openai.setThrottleDelay(1500);
    }
  });

  test('a wait longer than the request may wait goes to the configured fallback', async () => {
    const { ask, backup } = gatewayWith('', 'fallbacks: { openai-mini: [backup] }');
    openai.setThrottleDelay(day);
    try {
      openai.fail('rate-limited');
      const response = await ask('fallback on a day-long retry-after');
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.provider, 'backup');
      assert.equal(response.body.fallbackFrom, 'openai-mini');
      assert.equal(backup.calls.length, 1);
    } finally {
      openai.setThrottleDelay(1500);
    }
  });

  test('while the provider is paused past a request deadline, new requests fail at once without an upstream call', async () => {
    const { ask, waits } = gatewayWith(', timeoutMs: 5000, maxRetryAfterMs: 30000');
    openai.setThrottleDelay(20_000);
    try {
      const before = chatCalls();
      openai.fail('rate-limited');
      const first = await ask('20 s retry-after, 5 s deadline');
      assert.equal(first.status, 429);
      const second = await ask('during the 20 s pause');
      assert.equal(second.status, 429, JSON.stringify(second.body));
      assert.ok(Number(second.headers.get('retry-after')) >= 19, `Retry-After ${second.headers.get('retry-after')}`);
      assert.equal(chatCalls() - before, 1, 'the paused provider was not called');
      assert.deepEqual(waits, []);
    } finally {
      openai.setThrottleDelay(1500);
    }
  });

  test('a retry-after within bounds is still waited out and retried', async () => {
    const { ask, waits } = gatewayWith();
    openai.setThrottleDelay(42_000);
    try {
      openai.fail('rate-limited');
      const response = await ask('42 s retry-after');
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.ok((waits[0] ?? 0) >= 42_000);
    } finally {
      openai.setThrottleDelay(1500);
    }
  });
});

describe('the scheduler caps provider pauses and windows', () => {
  test('x-ratelimit-reset-requests: 999h pauses at most maxRetryAfterMs, and a call that cannot wait fails at once', async () => {
    let now = 0;
    const timers: number[] = [];
    const setTimer = (callback: () => void, ms: number) => {
      timers.push(ms);
      now += ms;
      setImmediate(callback);
    };
    const scheduler = createProviderScheduler({
      providerId: 'p',
      maxConcurrency: 4,
      maxQueue: 100,
      requestsPerMinute: 600,
      maxRetryAfterMs: 60_000,
      maxWaitMs: 1_000,
      now: () => now,
      setTimer,
    });
    scheduler.report({ ok: true, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '999h' } });
    await assert.rejects(
      scheduler.run(() => Promise.resolve('ran'), { estimatedTokens: 1 }),
      (error: { code?: string; retryAfterSeconds?: number }) => error.code === 'rate_limited' && error.retryAfterSeconds === 60,
    );
    const patient = createProviderScheduler({
      providerId: 'q',
      maxConcurrency: 4,
      maxQueue: 100,
      maxRetryAfterMs: 60_000,
      now: () => now,
      setTimer,
    });
    const started = now;
    patient.report({ ok: false, retryAfterMs: Number.POSITIVE_INFINITY });
    assert.equal(await patient.run(() => Promise.resolve('ran'), { estimatedTokens: 1 }), 'ran');
    assert.equal(now - started, 60_000, 'paused exactly the cap');
    assert.ok(timers.every((ms) => ms <= 60_000), `timers ${timers.join(', ')}`);
  });

  test('no timer is ever set beyond 2^31-1 ms', () => {
    assert.equal(boundTimerMs(999 * 3_600_000), maxTimerMs);
    assert.equal(boundTimerMs(Number.POSITIVE_INFINITY), maxTimerMs);
    assert.equal(boundTimerMs(-5), 0);
    assert.equal(boundTimerMs(Number.NaN), 0);
    assert.equal(boundTimerMs(1500), 1500);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const timer = setBoundedTimeout(() => assert.fail('fired'), 999 * 3_600_000);
    clearTimeout(timer);
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        process.off('warning', onWarning);
        assert.deepEqual(warnings, []);
        resolve();
      }),
    );
  });
});

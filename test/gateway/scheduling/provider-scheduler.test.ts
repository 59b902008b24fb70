import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '@teacher-gateway/gateway/internal/errors/gateway-error';
import { createCircuitBreaker } from '@teacher-gateway/gateway/internal/scheduling/circuit-breaker';
import { createProviderScheduler } from '@teacher-gateway/gateway/internal/scheduling/provider-scheduler';
import { parseGoDuration as parseDuration } from '@teacher-gateway/gateway/internal/providers/parse-go-duration';
import { createTokenBucket } from '@teacher-gateway/gateway/internal/scheduling/token-bucket';

/** A clock that only moves when a timer is due, so pacing is tested without waiting. */
function virtualTime() {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => void timers.push({ at: now + ms, callback }),
    /** Runs due timers in time order until none are left (or the limit). */
    async run(limitMs = 1e9) {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next || next.at > limitMs) return;
        now = Math.max(now, next.at);
        next.callback();
      }
    },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('provider scheduler', () => {
  test('keeps at most maxConcurrency calls in flight, oldest first', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 2, maxQueue: 10, ...time });
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      scheduler.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }, { estimatedTokens: 1 }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1]);
    assert.equal(scheduler.stats().queued, 3);
    gates[1]?.resolve();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, [0, 1, 2]);
    for (const gate of gates) gate.resolve();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3, 4]);
  });

  test('a full queue answers 429 rate_limited at once instead of growing', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 1, maxQueue: 2, ...time });
    const gate = deferred();
    const task = () => gate.promise;
    const accepted = [scheduler.run(task, { estimatedTokens: 1 }), scheduler.run(task, { estimatedTokens: 1 }), scheduler.run(task, { estimatedTokens: 1 })];
    await assert.rejects(scheduler.run(task, { estimatedTokens: 1 }), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'rate_limited');
      assert.equal(error.retryAfterSeconds, 1);
      return true;
    });
    gate.resolve();
    await Promise.all(accepted);
  });

  test('requests per minute are paced, and the provider headers correct the bucket', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 100, maxQueue: 1000, requestsPerMinute: 600, ...time });
    const startedAt: number[] = [];
    const runs = Array.from({ length: 30 }, () => scheduler.run(async () => void startedAt.push(time.now()), { estimatedTokens: 1 }));
    await time.run();
    await Promise.all(runs);
    // 600/min = 10/s with a one-second burst of 10: the 30th starts at about 2 s.
    assert.equal(startedAt.filter((at) => at === 0).length, 10);
    assert.ok(Math.abs((startedAt[29] ?? 0) - 2000) <= 100, String(startedAt[29]));

    scheduler.report({ ok: true, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6s' } });
    const before = time.now();
    const late = scheduler.run(async () => time.now(), { estimatedTokens: 1 });
    await time.run();
    assert.ok((await late) - before >= 6000, 'the provider said none are left for 6 s');
  });

  test('a retry-after pauses every call to the provider', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 4, maxQueue: 10, ...time });
    scheduler.report({ ok: false, retryAfterMs: 1500 });
    const run = scheduler.run(async () => time.now(), { estimatedTokens: 1 });
    await time.run();
    assert.equal(await run, 1500);
  });

  test('repeated failures open the circuit; after the cool-down one probe goes through', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 4, maxQueue: 10, failureThreshold: 3, openMs: 10_000, ...time });
    for (let index = 0; index < 3; index += 1) scheduler.report({ ok: false, providerFault: true });
    assert.equal(scheduler.stats().circuit, 'open');
    await assert.rejects(scheduler.run(async () => 1, { estimatedTokens: 1 }), /circuit is open/);
    time.setTimer(() => {}, 10_000);
    await time.run();
    assert.equal(scheduler.stats().circuit, 'half-open');
    assert.equal(await scheduler.run(async () => 'probe', { estimatedTokens: 1 }), 'probe');
    scheduler.report({ ok: true });
    assert.equal(scheduler.stats().circuit, 'closed');
  });

  test('throttling does not open the circuit', () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 4, maxQueue: 10, failureThreshold: 2, ...time });
    for (let index = 0; index < 10; index += 1) scheduler.report({ ok: false, providerFault: false, retryAfterMs: 10 });
    assert.equal(scheduler.stats().circuit, 'closed');
  });

  test('an aborted caller leaves the queue', async () => {
    const time = virtualTime();
    const scheduler = createProviderScheduler({ providerId: 'p', maxConcurrency: 1, maxQueue: 10, ...time });
    const gate = deferred();
    const first = scheduler.run(() => gate.promise, { estimatedTokens: 1 });
    const controller = new AbortController();
    const second = scheduler.run(async () => 'never', { estimatedTokens: 1, signal: controller.signal });
    controller.abort(new Error('client went away'));
    await assert.rejects(second, /client went away/);
    assert.equal(scheduler.stats().queued, 0);
    gate.resolve();
    await first;
  });
});

test('token bucket and durations', () => {
  let now = 0;
  const bucket = createTokenBucket({ perMinute: 60, burst: 2, now: () => now });
  assert.equal(bucket.take(1), 0);
  assert.equal(bucket.take(1), 0);
  assert.equal(bucket.take(1), 1000);
  now = 1000;
  assert.equal(bucket.take(1), 0);
  assert.equal(parseDuration('6m0s'), 360_000);
  assert.equal(parseDuration('12ms'), 12);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('20'), 20_000);
  assert.equal(parseDuration('soon'), undefined);
});

test('circuit breaker lets one probe through when half-open', () => {
  let now = 0;
  const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 100, now: () => now });
  breaker.failure();
  assert.ok(breaker.check() > 0);
  now = 100;
  assert.equal(breaker.check(), 0, 'the probe');
  assert.ok(breaker.check() > 0, 'a second caller waits for the probe');
  breaker.failure();
  assert.equal(breaker.state(), 'open');
});

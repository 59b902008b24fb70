import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSingleFlight } from '@teacher-gateway/gateway/internal/suggestion/single-flight';

function pendingWork() {
  const seen: AbortSignal[] = [];
  let finish!: (value: string) => void;
  const work = (signal: AbortSignal) => {
    seen.push(signal);
    return new Promise<string>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
  };
  return { work, seen, finish: (value: string) => finish(value) };
}

test('callers with the same key share one run and one answer', async () => {
  const flights = createSingleFlight<string>();
  const { work, seen, finish } = pendingWork();
  const a = flights.run('k', work, new AbortController().signal);
  const b = flights.run('k', work, new AbortController().signal);
  assert.equal(a.joined, false);
  assert.equal(b.joined, true);
  assert.equal(seen.length, 1);
  finish('answer');
  assert.deepEqual(await Promise.all([a.promise, b.promise]), ['answer', 'answer']);
  assert.equal(flights.inFlight(), 0);
});

test('the run is cancelled only when every caller has gone away', async () => {
  const flights = createSingleFlight<string>();
  const { work, seen, finish } = pendingWork();
  const first = new AbortController();
  const second = new AbortController();
  const a = flights.run('k', work, first.signal);
  const b = flights.run('k', work, second.signal);
  first.abort();
  assert.equal(seen[0]?.aborted, false, 'one caller is still waiting');
  second.abort();
  assert.equal(seen[0]?.aborted, true);
  await assert.rejects(a.promise, /cancelled/);
  await assert.rejects(b.promise, /cancelled/);
  void finish;
  const again = flights.run('k', work, new AbortController().signal);
  assert.equal(again.joined, false, 'a cancelled run does not linger');
});

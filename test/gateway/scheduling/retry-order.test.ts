import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProviderScheduler } from '@teacher-gateway/gateway/internal/scheduling/provider-scheduler';

test('a retry waits ahead of fresh calls, behind earlier retries: oldest first', async () => {
  const scheduler = createProviderScheduler({
    providerId: 'p',
    maxConcurrency: 1,
    maxQueue: 10,
    now: () => 0,
    setTimer: (callback) => void setImmediate(callback),
  });
  let release!: () => void;
  const blocker = scheduler.run(() => new Promise<void>((resolve) => (release = resolve)), {
    estimatedTokens: 1,
  });
  const started: string[] = [];
  const call = (name: string, retry = false) =>
    scheduler.run(async () => void started.push(name), {
      estimatedTokens: 1,
      ...(retry ? { retry } : {}),
    });
  const all = [
    call('fresh-1'),
    call('fresh-2'),
    call('retry-a', true),
    call('fresh-3'),
    call('retry-b', true),
  ];
  release();
  await blocker;
  await Promise.all(all);
  assert.deepEqual(started, ['retry-a', 'retry-b', 'fresh-1', 'fresh-2', 'fresh-3']);
});

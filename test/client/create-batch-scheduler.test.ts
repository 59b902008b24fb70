import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBatchScheduler } from '@teacher-gateway/client';

describe('createBatchScheduler', () => {
  test('calls of one tick become one batch, answered in order', async () => {
    const batches: number[][] = [];
    const load = createBatchScheduler<number, number>({
      maxBatchSize: 64,
      run: async (items) => {
        batches.push(items);
        return items.map((item) => ({ ok: true as const, value: item * 10 }));
      },
    });
    // Calls after an await in the same tick still join: collection ends at setImmediate.
    const results = await Promise.all([load(1), Promise.resolve().then(() => load(2)), load(3)]);
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(batches, [[1, 3, 2]]);
    assert.deepEqual(await Promise.all([load(4), load(5)]), [40, 50]);
    assert.equal(batches.length, 2, 'the next tick is a new batch');
  });

  test('splits a tick at maxBatchSize', async () => {
    const sizes: number[] = [];
    const load = createBatchScheduler<number, number>({
      maxBatchSize: 4,
      run: async (items) => {
        sizes.push(items.length);
        return items.map((value) => ({ ok: true as const, value }));
      },
    });
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => load(index)));
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(sizes, [4, 4, 2]);
  });

  test('a failed item rejects only its own promise; a failed batch rejects all of its items', async () => {
    let failWhole = false;
    const load = createBatchScheduler<number, number>({
      maxBatchSize: 8,
      run: async (items) => {
        if (failWhole) throw new Error('connection lost');
        return items.map((value) =>
          value % 2 === 0
            ? { ok: true as const, value }
            : { ok: false as const, error: new Error(`odd ${value}`) },
        );
      },
    });
    const settled = await Promise.allSettled([load(0), load(1), load(2)]);
    assert.deepEqual(
      settled.map((outcome) => outcome.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /odd 1/);
    failWhole = true;
    const whole = await Promise.allSettled([load(4), load(6)]);
    assert.deepEqual(
      whole.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    );
  });

  test('rejects every item when the batch answers too few results', async () => {
    const load = createBatchScheduler<number, number>({
      maxBatchSize: 8,
      run: async () => [{ ok: true, value: 1 }],
    });
    const settled = await Promise.allSettled([load(1), load(2)]);
    assert.deepEqual(
      settled.map((outcome) => outcome.status),
      ['fulfilled', 'rejected'],
    );
  });
});

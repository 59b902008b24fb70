import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bootstrapCi, mean } from '@teacher-gateway/trainer/internal/reports/bootstrap-ci';

describe('bootstrapCi', () => {
  it('brackets the estimate, narrows with more rows, and is reproducible', () => {
    const few = [1, 2, 3, 4, 5];
    const many = Array.from({ length: 100 }, (_, i) => 1 + (i % 5));
    const ci = (xs: number[]) =>
      bootstrapCi(xs.length, (rows) => mean(rows.map((i) => xs[i]!)), { seed: 1 });
    const a = ci(few);
    assert.equal(a.estimate, 3);
    assert.ok(a.low < 3 && a.high > 3 && a.low >= 1 && a.high <= 5);
    const b = ci(many);
    assert.ok(b.high - b.low < a.high - a.low);
    assert.deepEqual(ci(few), a);
    assert.ok(Number.isNaN(ci([2]).low));
  });
});

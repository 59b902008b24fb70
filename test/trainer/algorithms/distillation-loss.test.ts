import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { distillationLoss, lambdaAt } from '@teacher-gateway/trainer/internal/algorithms/lvlm2p';
import { setUpBackend } from '@teacher-gateway/trainer/internal/tensors/set-up-backend';

const logits = [
  [1, 0, -1],
  [0, 2, 0],
];
const teacher = [
  [0.7, 0.2, 0.1],
  [0.1, 0.1, 0.8],
];

function logSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const total = Math.log(row.reduce((sum, value) => sum + Math.exp(value - max), 0)) + max;
  return row.map((value) => value - total);
}

function lossOf(mode: 'soft-kl' | 'hard-ce' | 'released', mask = [1, 1]): number {
  return tf.tidy(() =>
    distillationLoss(
      mode,
      tf.tensor2d(logits),
      tf.tensor2d(teacher),
      tf.tensor1d(mask),
    ).arraySync(),
  );
}

describe('distillation losses', () => {
  before(async () => {
    await setUpBackend({ backend: 'wasm' });
  });

  it('soft-kl is KL(teacher || student) from log_softmax, averaged over rows', () => {
    const expected =
      teacher
        .map((t, i) => {
          const logStudent = logSoftmax(logits[i]!);
          return t.reduce((sum, p, a) => sum + p * (Math.log(p) - logStudent[a]!), 0);
        })
        .reduce((a, b) => a + b, 0) / 2;
    // By hand: log_softmax([1,0,-1]) = [-0.4076, -1.4076, -2.4076] -> row 0 ≈ 0.00578;
    // log_softmax([0,2,0]) = [-2.2395, -0.2395, -2.2395] -> row 1 ≈ 1.40051; mean ≈ 0.70315.
    assert.ok(Math.abs(expected - 0.70315) < 1e-4, String(expected));
    assert.ok(Math.abs(lossOf('soft-kl') - expected) < 1e-5);
  });

  it('hard-ce is the cross-entropy on the teacher argmax', () => {
    const expected = (-logSoftmax(logits[0]!)[0]! - logSoftmax(logits[1]!)[2]!) / 2;
    // -log softmax([1,0,-1])[0] = 0.4076, -log softmax([0,2,0])[2] = 2.2395
    assert.ok(Math.abs(expected - 1.32355) < 1e-4, String(expected));
    assert.ok(Math.abs(lossOf('hard-ce') - expected) < 1e-5);
  });

  it('released is 0.01 * KL(0.8 * onehot(argmax) || softmax(student probabilities))', () => {
    const softmax = (row: number[]) => logSoftmax(row).map(Math.exp);
    const expected =
      [0, 1]
        .map((i) => {
          const target = i === 0 ? 0 : 2;
          const probPolicy = softmax(softmax(logits[i]!).map((p) => p + 1e-10));
          return 0.01 * 0.8 * (Math.log(0.8 + 1e-10) - Math.log(probPolicy[target]! + 1e-10));
        })
        .reduce((a, b) => a + b, 0) / 2;
    // Softmax over probabilities is nearly flat: both rows ≈ 0.01 * 0.8 * (log 0.8 - log 1/3).
    assert.ok(Math.abs(expected - 0.0072) < 5e-4, String(expected));
    assert.ok(Math.abs(lossOf('released') - expected) < 1e-6);
  });

  it('averages only over rows the teacher answered', () => {
    const rowOne = lossOf('hard-ce', [0, 1]);
    assert.ok(Math.abs(rowOne - -logSoftmax(logits[1]!)[2]!) < 1e-5);
    assert.equal(lossOf('soft-kl', [0, 0]), 0);
  });
});

describe('lambdaAt', () => {
  const base = { lambda: 2, lambdaDecayUpdates: 0, lambdaCutoff: 0 };
  it('keeps a constant lambda', () => {
    assert.equal(lambdaAt({ ...base, lambdaSchedule: 'constant' }, 7, 10), 2);
  });
  it('decays linearly to zero over the run or the given updates', () => {
    assert.equal(lambdaAt({ ...base, lambdaSchedule: 'linear' }, 1, 10), 2);
    assert.ok(Math.abs(lambdaAt({ ...base, lambdaSchedule: 'linear' }, 6, 10) - 1) < 1e-12);
    assert.equal(lambdaAt({ ...base, lambdaSchedule: 'linear', lambdaDecayUpdates: 4 }, 9, 10), 0);
  });
  it('halves every lambdaDecayUpdates updates when exponential', () => {
    assert.ok(
      Math.abs(
        lambdaAt({ ...base, lambdaSchedule: 'exponential', lambdaDecayUpdates: 3 }, 7, 10) - 0.5,
      ) < 1e-12,
    );
  });
  it('cuts off after N updates', () => {
    assert.equal(lambdaAt({ ...base, lambdaSchedule: 'constant', lambdaCutoff: 5 }, 5, 10), 2);
    assert.equal(lambdaAt({ ...base, lambdaSchedule: 'constant', lambdaCutoff: 5 }, 6, 10), 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeGae } from '@teacher-gateway/trainer/internal/algorithms/ppo';

const close = (actual: ArrayLike<number>, expected: number[], tolerance = 1e-5) => {
  assert.equal(actual.length, expected.length);
  expected.forEach((value, i) =>
    assert.ok(Math.abs(actual[i]! - value) < tolerance, `index ${i}: ${actual[i]} vs ${value}`),
  );
};

describe('computeGae', () => {
  it('matches a hand computation over three steps of one environment', () => {
    // gamma 0.9, lambda 0.5; rewards 1, 0, 2; values 0.5, 1, 1.5; bootstrap 2; no endings.
    // delta2 = 2 + 0.9*2 - 1.5 = 2.3;  A2 = 2.3
    // delta1 = 0 + 0.9*1.5 - 1 = 0.35; A1 = 0.35 + 0.45*2.3 = 1.385
    // delta0 = 1 + 0.9*1 - 0.5 = 1.4;  A0 = 1.4 + 0.45*1.385 = 2.02325
    const advantages = computeGae({
      rewards: Float32Array.of(1, 0, 2),
      values: Float32Array.of(0.5, 1, 1.5),
      dones: Float32Array.of(0, 0, 0),
      lastValues: Float32Array.of(2),
      numEnvs: 1,
      gamma: 0.9,
      gaeLambda: 0.5,
    });
    close(advantages, [2.02325, 1.385, 2.3]);
  });

  it('cuts bootstrapping and the trace at an episode end', () => {
    // Step 0 ends its episode: A0 = r0 - V0 = 1 - 0.5, whatever follows.
    // delta1 = 0 + 0.9*3 - 1 = 1.7 (bootstrap 3); A1 = 1.7
    const advantages = computeGae({
      rewards: Float32Array.of(1, 0),
      values: Float32Array.of(0.5, 1),
      dones: Float32Array.of(1, 0),
      lastValues: Float32Array.of(3),
      numEnvs: 1,
      gamma: 0.9,
      gaeLambda: 0.5,
    });
    close(advantages, [0.5, 1.7]);
  });

  it('keeps interleaved environments apart (sample t * numEnvs + i)', () => {
    // Env 0: rewards 1, 1, values 0, 0, bootstrap 0 -> A1 = 1, A0 = 1 + 0.99*0.95*1 = 1.9405
    // Env 1: rewards 0, 0, values 1, 1, ends at t=1 -> A1 = -1, A0 = 0.99*1 - 1 + 0.9405*(-1) = -0.9505
    const advantages = computeGae({
      rewards: Float32Array.of(1, 0, 1, 0),
      values: Float32Array.of(0, 1, 0, 1),
      dones: Float32Array.of(0, 0, 0, 1),
      lastValues: Float32Array.of(0, 5),
      numEnvs: 2,
      gamma: 0.99,
      gaeLambda: 0.95,
    });
    close(advantages, [1.9405, -0.9505, 1, -1]);
  });
});

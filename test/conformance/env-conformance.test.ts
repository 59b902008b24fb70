import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Env } from '@teacher-gateway/trainer/internal/envs/env';
import { envConformanceChecks } from './env-conformance.ts';

/** Well-typed and well-formed, but it ignores its seed and its actions and never ends. */
function constantEnv(): Env<number[], number> {
  return {
    id: 'Constant-v0',
    actionSpace: { kind: 'discrete', n: 3 },
    reset: () => ({ observation: [0, 0, 0], info: {} }),
    step: () => ({
      observation: [0, 0, 0],
      reward: 0,
      terminated: false,
      truncated: false,
      info: {},
    }),
  };
}

/** A counter the actions move, seeded start, ending at ±5 or after 20 steps. */
function walkEnv(): Env<number[], number> {
  let position = 0;
  let steps = 0;
  let seed = 0;
  return {
    id: 'Walk-v0',
    actionSpace: { kind: 'discrete', n: 3 },
    reset(newSeed) {
      if (newSeed !== undefined) seed = newSeed;
      position = seed % 3;
      steps = 0;
      return { observation: [position], info: {} };
    },
    step(action) {
      position += action - 1;
      steps += 1;
      const terminated = Math.abs(position) >= 5;
      return {
        observation: [position],
        reward: terminated ? 1 : 0,
        terminated,
        truncated: !terminated && steps >= 20,
        info: {},
      };
    },
  };
}

describe('the env conformance suite can fail', () => {
  const options = { steps: 100, maxEpisodeSteps: () => 20 };

  it('passes an environment that behaves', () => {
    for (const [name, check] of Object.entries(envConformanceChecks(walkEnv, options)))
      assert.doesNotThrow(check, name);
  });

  it('fails a constant environment on seeds, actions and episode ends', () => {
    const checks = envConformanceChecks(constantEnv as () => Env<unknown, unknown>, options);
    for (const name of [
      'conforms to the Env contract',
      'same seed, same trajectory; another seed, another trajectory',
      'acting changes what the agent observes',
      'random play ends episodes within the time limit',
    ]) {
      assert.ok(checks[name], name);
      assert.throws(checks[name], assert.AssertionError, name);
    }
  });
});

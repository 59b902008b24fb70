import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionSpace, Env } from '../../trainer/src/envs/env.ts';

export interface ConformanceOptions {
  /** Steps of random play per check (default 300). */
  steps?: number;
}

/** A tiny seeded stream for choosing test actions; the env's own randomness is not involved. */
function actionSampler(space: ActionSpace, seed: number): () => unknown {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  if (space.kind === 'discrete') return () => Math.floor(next() * space.n);
  return () => space.low.map((low, k) => low + next() * ((space.high[k] ?? low) - low));
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rollout(env: Env<unknown, unknown>, seed: number, steps: number): unknown[] {
  const sample = actionSampler(env.actionSpace, seed);
  const trace: unknown[] = [env.reset(seed).observation];
  for (let t = 0; t < steps; t++) {
    const result = env.step(sample());
    trace.push([result.observation, result.reward, result.terminated, result.truncated]);
    if (result.terminated || result.truncated) trace.push(env.reset().observation);
  }
  return trace;
}

/**
 * Registers the checks every `Env` must pass (Gymnasium semantics, determinism under a seed).
 * `factory` must build a fresh, independent environment on each call.
 */
export function envConformance(
  name: string,
  factory: () => Env<unknown, unknown>,
  options: ConformanceOptions = {},
): void {
  const steps = options.steps ?? 300;

  test(`${name}: conforms to the Env contract`, () => {
    const env = factory();
    assert.equal(typeof env.id, 'string');
    const space = env.actionSpace;
    if (space.kind === 'discrete') {
      assert.ok(Number.isInteger(space.n) && space.n > 0, 'discrete action space has n > 0');
    } else {
      assert.equal(space.low.length, space.high.length);
      space.low.forEach((low, k) => assert.ok(low <= space.high[k]!));
    }

    const reset = env.reset(123);
    assert.ok(
      reset.observation !== undefined && reset.observation !== null,
      'reset returns an observation',
    );
    assert.ok(isPlainObject(reset.info), 'reset returns an info object');

    const sample = actionSampler(space, 7);
    let episodes = 0;
    for (let t = 0; t < steps; t++) {
      const result = env.step(sample());
      assert.ok(result.observation !== undefined && result.observation !== null);
      assert.equal(typeof result.reward, 'number');
      assert.ok(Number.isFinite(result.reward), 'reward is finite');
      assert.equal(typeof result.terminated, 'boolean');
      assert.equal(typeof result.truncated, 'boolean');
      assert.ok(isPlainObject(result.info), 'step returns an info object');
      if (result.terminated || result.truncated) {
        episodes++;
        const again = env.reset();
        assert.ok(isPlainObject(again.info));
      }
    }
    assert.ok(episodes >= 0);
  });

  test(`${name}: same seed, same trajectory`, () => {
    const first = rollout(factory(), 42, steps);
    const second = rollout(factory(), 42, steps);
    assert.deepStrictEqual(second, first);
  });

  test(`${name}: reset(seed) restarts the stream`, () => {
    const env = factory();
    const initial = env.reset(5).observation;
    const sample = actionSampler(env.actionSpace, 3);
    for (let t = 0; t < 20; t++) {
      const result = env.step(sample());
      if (result.terminated || result.truncated) env.reset();
    }
    assert.deepStrictEqual(env.reset(5).observation, initial);
  });

  test(`${name}: environments do not share state`, () => {
    const a = factory();
    const b = factory();
    const initialB = b.reset(9).observation;
    a.reset(9);
    const sample = actionSampler(a.actionSpace, 11);
    for (let t = 0; t < 20; t++) {
      const result = a.step(sample());
      if (result.terminated || result.truncated) a.reset();
    }
    assert.deepStrictEqual(b.reset(9).observation, initialB);
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionSpace, Env } from '@teacher-gateway/trainer/internal/envs/env';

export interface ConformanceOptions {
  /** Steps of random play per check (default 300). */
  steps?: number;
  /**
   * The env's time limit after `reset()`: no episode may last longer. Default: unknown, and the
   * checks that need it only require episodes to end eventually within `steps` when they can.
   */
  maxEpisodeSteps?: (env: Env<unknown, unknown>) => number;
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

interface TraceEntry {
  observation: unknown;
  /** Absent on a reset. */
  outcome?: [reward: number, terminated: boolean, truncated: boolean];
}

function rollout(env: Env<unknown, unknown>, seed: number, steps: number): TraceEntry[] {
  const sample = actionSampler(env.actionSpace, seed);
  const trace: TraceEntry[] = [{ observation: env.reset(seed).observation }];
  for (let t = 0; t < steps; t++) {
    const result = env.step(sample());
    trace.push({
      observation: result.observation,
      outcome: [result.reward, result.terminated, result.truncated],
    });
    if (result.terminated || result.truncated) trace.push({ observation: env.reset().observation });
  }
  return trace;
}

/** The observations of a rollout, in order, comparable as strings. */
function observationsOf(trace: TraceEntry[]): string[] {
  return trace.map((entry) => JSON.stringify(entry.observation));
}

export type EnvCheck = () => void;

/**
 * The checks every `Env` must pass (Gymnasium semantics, determinism under a seed, and behaviour:
 * acting changes what is observed, seeds matter, episodes end within the time limit), by name.
 * `factory` must build a fresh, independent environment on each call.
 */
export function envConformanceChecks(
  factory: () => Env<unknown, unknown>,
  options: ConformanceOptions = {},
): Record<string, EnvCheck> {
  const steps = options.steps ?? 300;
  const limitOf = (env: Env<unknown, unknown>) => options.maxEpisodeSteps?.(env) ?? Infinity;
  const checks: Record<string, EnvCheck> = {};

  checks['conforms to the Env contract'] = () => {
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
    const limit = limitOf(env);
    let episodes = 0;
    let length = 0;
    for (let t = 0; t < steps; t++) {
      const result = env.step(sample());
      length++;
      assert.ok(length <= limit, `an episode ran past the time limit of ${limit} steps`);
      assert.ok(result.observation !== undefined && result.observation !== null);
      assert.equal(typeof result.reward, 'number');
      assert.ok(Number.isFinite(result.reward), 'reward is finite');
      assert.equal(typeof result.terminated, 'boolean');
      assert.equal(typeof result.truncated, 'boolean');
      assert.ok(isPlainObject(result.info), 'step returns an info object');
      if (result.terminated || result.truncated) {
        episodes++;
        length = 0;
        const again = env.reset();
        assert.ok(isPlainObject(again.info));
      }
    }
    // Every episode ends by the time limit, so `steps` steps hold at least this many endings.
    const atLeast = Number.isFinite(limit) ? Math.floor(steps / limit) : 0;
    assert.ok(
      episodes >= atLeast,
      `${episodes} episodes ended in ${steps} steps, expected ${atLeast}`,
    );
  };

  checks['same seed, same trajectory; another seed, another trajectory'] = () => {
    const first = rollout(factory(), 42, steps);
    const second = rollout(factory(), 42, steps);
    assert.deepStrictEqual(second, first);
    const other = rollout(factory(), 43, steps);
    assert.notDeepStrictEqual(other, first, 'seeds 42 and 43 gave the same trajectory');
  };

  checks['acting changes what the agent observes'] = () => {
    const trace = rollout(factory(), 42, Math.min(steps, 100));
    assert.ok(
      new Set(observationsOf(trace)).size > 1,
      'every observation of 100 random steps was the same',
    );
  };

  checks['random play ends episodes within the time limit'] = () => {
    const env = factory();
    env.reset(17);
    const limit = limitOf(env);
    assert.ok(Number.isFinite(limit), 'this check needs the time limit (maxEpisodeSteps)');
    const sample = actionSampler(env.actionSpace, 17);
    for (let episode = 0; episode < 3; episode++) {
      let length = 0;
      let ended = false;
      while (!ended) {
        const result = env.step(sample());
        length++;
        ended = result.terminated || result.truncated;
        assert.ok(length <= limit, `episode ${episode} did not end within ${limit} steps`);
      }
      env.reset();
    }
  };

  checks['reset(seed) restarts the stream'] = () => {
    const env = factory();
    const initial = env.reset(5).observation;
    const sample = actionSampler(env.actionSpace, 3);
    for (let t = 0; t < 20; t++) {
      const result = env.step(sample());
      if (result.terminated || result.truncated) env.reset();
    }
    assert.deepStrictEqual(env.reset(5).observation, initial);
  };

  checks['environments do not share state'] = () => {
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
  };
  return checks;
}

/** Registers every check of `envConformanceChecks` as a test named after the env. */
export function envConformance(
  name: string,
  factory: () => Env<unknown, unknown>,
  options: ConformanceOptions = {},
): void {
  for (const [check, run] of Object.entries(envConformanceChecks(factory, options)))
    test(`${name}: ${check}`, run);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envIds, makeEnv } from '@teacher-gateway/trainer/internal/envs/make-env';
import type { PhysicsEnv } from '@teacher-gateway/trainer/internal/envs/physics/physics-env';
import { PHYSICS_TASKS } from '@teacher-gateway/trainer/internal/envs/physics/physics-tasks';
import { NumpyGenerator } from '@teacher-gateway/trainer/internal/random/numpy-generator';
import {
  readPhysicsTaskKind,
  suggestPhysicsAction,
} from '@teacher-gateway/trainer/internal/teachers/physics-advisor/suggest-physics-action';

const ids = Object.keys(PHYSICS_TASKS);

function rollout(env: PhysicsEnv, seed: number, steps: number): number[][] {
  const actions = new NumpyGenerator(99);
  const trajectory = [Array.from(env.reset(seed).observation)];
  for (let t = 0; t < steps; t++) {
    const step = env.step([actions.uniform(-1, 1), actions.uniform(-1, 1)]);
    trajectory.push([...step.observation, step.reward]);
    if (step.terminated || step.truncated) trajectory.push(Array.from(env.reset().observation));
  }
  return trajectory;
}

/** Runs the scripted policy on the exact scene until the episode ends. */
function solve(env: PhysicsEnv, seed: number) {
  let observation = env.reset(seed).observation;
  const kind = readPhysicsTaskKind(env.task.instruction)!;
  const rewards: number[] = [];
  for (;;) {
    const action = suggestPhysicsAction(kind, env.scene(observation))!;
    const step = env.step(action);
    rewards.push(step.reward);
    observation = step.observation;
    if (step.terminated || step.truncated) return { step, rewards };
  }
}

describe('physics tasks', () => {
  it('are registered in makeEnv with bounded 2-D continuous actions', () => {
    for (const id of ids) {
      assert.ok(envIds().includes(id));
      const env = makeEnv(id as `Physics-${string}`, { seed: 0 });
      assert.deepEqual(env.actionSpace, { kind: 'continuous', low: [-1, -1], high: [1, 1] });
      assert.equal(env.reset().observation.length, env.observationSize);
      env.close();
    }
  });

  for (const id of ids) {
    it(`${id}: the same seed gives the same trajectory, another seed another one`, () => {
      const a = makeEnv(id as `Physics-${string}`);
      const b = makeEnv(id as `Physics-${string}`);
      const first = rollout(a, 5, 250);
      assert.deepEqual(rollout(b, 5, 250), first);
      assert.notDeepEqual(rollout(b, 6, 250), first);
      a.close();
      b.close();
    });

    it(`${id}: success ends the episode with reward 1, after rewards of 0`, () => {
      const env = makeEnv(id as `Physics-${string}`);
      for (const seed of [1, 2, 3]) {
        const { step, rewards } = solve(env, seed);
        assert.equal(step.info['success'], true, `seed ${seed} not solved`);
        assert.equal(step.terminated, true);
        assert.equal(step.truncated, false);
        assert.deepEqual(rewards, [...new Array<number>(rewards.length - 1).fill(0), 1]);
      }
      env.close();
    });

    it(`${id}: standing still is truncated at the time limit with no reward`, () => {
      const env = makeEnv(id as `Physics-${string}`);
      env.reset(4);
      let total = 0;
      for (let t = 1; t <= env.maxEpisodeSteps; t++) {
        const step = env.step([0, 0]);
        total += step.reward;
        assert.equal(step.truncated, t === env.maxEpisodeSteps);
        assert.equal(step.terminated, false);
      }
      assert.equal(total, 0);
      env.close();
    });
  }

  it('push moves the puck only through contact with the hand', () => {
    const env = makeEnv('Physics-Push-v0');
    const start = env.reset(2).observation;
    for (let t = 0; t < 5; t++) env.step([0, -1]); // away from the puck
    const after = env.step([0, 0]).observation;
    assert.deepEqual([after[2], after[3]], [start[2], start[3]]);
    env.close();
  });
});

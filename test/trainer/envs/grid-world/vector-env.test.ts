import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createVectorEnv, makeEnv } from '@teacher-gateway/trainer';
import type { GridObservation } from '@teacher-gateway/trainer';

test('next-step autoreset: the step after an episode ends returns the reset observation', () => {
  // Empty-5x5 from (1,1) facing right: forward, forward, right, forward, forward reaches the goal.
  const solve = [2, 2, 1, 2, 2];
  const vector = createVectorEnv<GridObservation, number>('MiniGrid-Empty-5x5-v0', 2, { seed: 0 });
  const { observations } = vector.reset();
  assert.equal(observations.length, 2);
  let last = vector.step([0, 0]);
  vector.reset();
  for (const action of solve) last = vector.step([action, 0]);
  assert.equal(last.terminated[0], 1);
  assert.equal(last.terminated[1], 0);
  assert.ok(last.rewards[0]! > 0);
  const after = vector.step([2, 0]);
  assert.equal(after.rewards[0], 0);
  assert.equal(after.terminated[0], 0);
  assert.equal(after.truncated[0], 0);
  assert.deepEqual(after.observations[0], makeEnv('MiniGrid-Empty-5x5-v0').reset(0).observation);
});

test('sub-environment i is seeded with seed + i, ids cycle, and runs are reproducible', () => {
  const ids = ['MiniGrid-DoorKey-5x5-v0', 'MiniGrid-FourRooms-v0'];
  const run = () => {
    const vector = createVectorEnv<GridObservation, number>(ids, 4, { seed: 10 });
    const trace: string[] = [];
    const { observations } = vector.reset();
    trace.push(observations.map((o) => Buffer.from(o.image).toString('hex')).join());
    for (let t = 0; t < 300; t++) {
      const step = vector.step([t % 3, (t * 7) % 7, 2, (t * 5) % 7]);
      trace.push(
        `${Array.from(step.rewards)}|${Array.from(step.terminated)}|${Array.from(step.truncated)}`,
      );
    }
    return { vector, observations, trace };
  };
  const a = run();
  assert.deepEqual(
    a.vector.envs.map((env) => env.id),
    [ids[0], ids[1], ids[0], ids[1]],
  );
  assert.deepEqual(a.observations[2], makeEnv(ids[0]!).reset(12).observation);
  assert.deepEqual(a.observations[3], makeEnv(ids[1]!).reset(13).observation);
  assert.deepEqual(run().trace, a.trace);
});

test('a factory builds the sub-environments', () => {
  const vector = createVectorEnv((_i, options) => makeEnv('MiniGrid-Empty-6x6-v0', options), 3, {
    seed: 1,
  });
  assert.equal(vector.numEnvs, 3);
  const step = vector.step([0, 1, 2]);
  assert.equal(step.observations.length, 3);
});

test('truncation triggers autoreset too', () => {
  const vector = createVectorEnv<GridObservation, number>('MiniGrid-Empty-5x5-v0', 1, { seed: 0 });
  vector.reset();
  let step = vector.step([0]);
  let t = 1;
  while (step.truncated[0] === 0) {
    step = vector.step([0]);
    t++;
  }
  assert.equal(t, 100);
  const after = vector.step([0]);
  assert.equal(after.truncated[0], 0);
  assert.equal(after.observations[0]!.direction, 0);
});

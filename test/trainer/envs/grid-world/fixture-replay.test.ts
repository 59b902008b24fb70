import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GridWorldEnv } from '@teacher-gateway/trainer/internal/envs/grid-world/grid-world-env';
import { GridWorldEnv as GridWorldEnvClass } from '@teacher-gateway/trainer/internal/envs/grid-world/grid-world-env';
import { gridWorldLayout } from '@teacher-gateway/trainer/internal/envs/grid-world/grid-world-layouts';
import { fromEncoding, makeEnv } from '@teacher-gateway/trainer';
import type { EnvFixture, FixtureEpisode, FixtureReset } from './minigrid-fixtures.ts';
import {
  ScriptedRandom,
  fixtureFiles,
  flattenGrid,
  imageHex,
  loadFixture,
} from './minigrid-fixtures.ts';

function assertResetState(env: GridWorldEnv, reset: FixtureReset, what: string): void {
  const state = env.state;
  assert.deepEqual(
    Array.from(state.grid.encoding),
    Array.from(flattenGrid(reset.grid)),
    `${what}: grid.encode() after reset`,
  );
  assert.deepEqual(
    [state.agentX, state.agentY, state.agentDir],
    [...reset.agent_pos, reset.agent_dir],
    `${what}: agent`,
  );
  assert.equal(state.mission, reset.mission, `${what}: mission`);
  assert.equal(state.maxSteps, reset.max_steps, `${what}: max_steps`);
  assert.equal(imageHex(env.observation().image), reset.obs, `${what}: observation`);
}

/** Steps through a recorded episode, comparing every field of every step. Returns the steps checked. */
function replay(
  env: GridWorldEnv,
  fixture: EnvFixture,
  reset: FixtureReset,
  episode: FixtureEpisode,
  what: string,
): number {
  const height = fixture.config.height;
  const grid = flattenGrid(reset.grid);
  episode.steps.forEach((step, t) => {
    const where = `${what} ${episode.kind} step ${t} (action ${step.a})`;
    const result = env.step(step.a);
    for (const [x, y, type, color, state] of step.grid_diff)
      grid.set([type, color, state], (x * height + y) * 3);
    assert.equal(imageHex(result.observation.image), step.obs, `${where}: observation`);
    assert.equal(result.observation.direction, step.dir, `${where}: direction`);
    assert.equal(result.observation.mission, reset.mission, `${where}: mission`);
    assert.equal(result.reward, step.r, `${where}: reward`);
    assert.equal(result.terminated, step.term, `${where}: terminated`);
    assert.equal(result.truncated, step.trunc, `${where}: truncated`);
    const snapshot = env.snapshot();
    assert.deepEqual(snapshot.agentPos, step.pos, `${where}: position`);
    assert.equal(snapshot.agentDir, step.dir, `${where}: direction`);
    assert.deepEqual(snapshot.carrying, step.carry, `${where}: carrying`);
    assert.equal(snapshot.stepCount, t + 1, `${where}: step count`);
    assert.ok(Buffer.from(env.state.grid.encoding).equals(grid), `${where}: grid`);
  });
  const last = episode.steps.at(-1);
  if (last !== undefined) {
    assert.deepEqual(
      env.snapshot().grid,
      reconstruct(grid, fixture.config.width, height),
      `${what}: final snapshot grid`,
    );
  }
  return episode.steps.length;
}

function reconstruct(flat: Uint8Array, width: number, height: number): number[][][] {
  return Array.from({ length: width }, (_, x) =>
    Array.from({ length: height }, (_, y) =>
      Array.from(flat.subarray((x * height + y) * 3, (x * height + y) * 3 + 3)),
    ),
  );
}

for (const file of fixtureFiles()) {
  const fixture = loadFixture(file);
  const id = fixture.env_id;
  describe(id, () => {
    test('configuration matches', () => {
      const env = makeEnv(id as `MiniGrid-${string}`);
      assert.equal(env.layout.width, fixture.config.width);
      assert.equal(env.layout.height, fixture.config.height);
      assert.equal(env.layout.maxSteps, fixture.config.max_steps);
      assert.equal(env.layout.seeThroughWalls, fixture.config.see_through_walls);
      assert.deepEqual(env.actionSpace, { kind: 'discrete', n: fixture.config.action_space_n });
    });

    for (const { seed, reset, episodes } of fixture.seeds) {
      test(`seed ${seed}: layout generator makes the recorded draws (scripted RNG)`, () => {
        const random = new ScriptedRandom(reset.rng_calls);
        const env = new GridWorldEnvClass(id, gridWorldLayout(id), { random });
        env.reset();
        assert.equal(random.remaining, 0, 'every recorded draw consumed');
        assertResetState(env, reset, 'scripted');
      });

      test(`seed ${seed}: reset(seed) reproduces the recorded layout`, () => {
        const env = makeEnv(id as `MiniGrid-${string}`);
        const { observation, info } = env.reset(seed);
        assert.deepEqual(info, {});
        assert.equal(imageHex(observation.image), reset.obs);
        assertResetState(env, reset, 'seeded');
      });

      test(`seed ${seed}: every episode replays from fromEncoding(reset state)`, () => {
        let checked = 0;
        for (const episode of episodes) {
          // Dynamic-Obstacles draws during steps: replay those recorded draws.
          const random = new ScriptedRandom(episode.steps.flatMap((step) => step.rng_calls ?? []));
          const env = fromEncoding(
            {
              envId: id,
              grid: reset.grid,
              agentPos: reset.agent_pos,
              agentDir: reset.agent_dir,
              mission: reset.mission,
              maxSteps: reset.max_steps,
              carrying: reset.carrying,
              extra: reset.extra,
            },
            { random },
          );
          assertResetState(env, reset, 'fromEncoding');
          checked += replay(env, fixture, reset, episode, 'fromEncoding');
          assert.equal(random.remaining, 0, 'every recorded step draw consumed');
        }
        assert.ok(checked > 0);
      });

      test(`seed ${seed}: every episode replays from reset(seed)`, () => {
        const env = makeEnv(id as `MiniGrid-${string}`);
        for (const episode of episodes) {
          env.reset(seed);
          replay(env, fixture, reset, episode, 'reset(seed)');
        }
      });
    }
  });
}

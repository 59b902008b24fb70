import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Suggestion, TeacherObservation } from '@teacher-gateway/client';
import { LVLM2P_DEFAULTS, createLvlm2pGuidance } from '@teacher-gateway/trainer/internal/algorithms/lvlm2p';
import type { GridWorldEnv } from '@teacher-gateway/trainer/internal/envs/grid-world/grid-world-env';
import type { GridObservation } from '@teacher-gateway/trainer/internal/envs/grid-world/observation';
import { makeEnv } from '@teacher-gateway/trainer/internal/envs/make-env';

/** Two GoToDoor layouts with the same grid and agent but different missions. */
function sameGridOtherMission(): Array<{ env: GridWorldEnv; observation: GridObservation }> {
  const seen = new Map<string, { seed: number; mission: string }>();
  for (let seed = 0; seed < 20_000; seed++) {
    const env = makeEnv('MiniGrid-GoToDoor-5x5-v0') as GridWorldEnv;
    const { observation } = env.reset(seed);
    const grid = Buffer.from(env.fullEncoding()).toString('base64');
    const earlier = seen.get(grid);
    if (earlier && earlier.mission !== observation.mission) {
      const first = makeEnv('MiniGrid-GoToDoor-5x5-v0') as GridWorldEnv;
      return [
        { env: first, observation: first.reset(earlier.seed).observation },
        { env, observation },
      ];
    }
    seen.set(grid, { seed, mission: observation.mission });
  }
  throw new Error('no two GoToDoor seeds share a grid');
}

describe('lvlm2p guidance', () => {
  it('asks about a repeated grid under each mission with the same picture, and targets each sample with its own answer', async () => {
    const pair = sameGridOtherMission();
    assert.notEqual(pair[0]!.observation.mission, pair[1]!.observation.mission);
    const asked: string[] = [];
    const images: unknown[] = [];
    const advisor = {
      knownImages: new Set<string>(),
      suggest: async (observation: TeacherObservation): Promise<Suggestion> => {
        asked.push(observation.text ?? '');
        images.push(observation.image);
        return {
          probs: [1, 0, 0, 0, 0, 0, 0],
          cache: 'miss',
          usage: { inputTokens: 1, outputTokens: 1 },
        } as unknown as Suggestion;
      },
    };
    const hooks = createLvlm2pGuidance(
      { ...LVLM2P_DEFAULTS, numEnvs: 1, numSteps: 2, totalTimesteps: 2, tileSize: 4 },
      { clock: { now: () => 0 }, logger: { log: () => undefined }, teacher: { advisor } },
      7,
    );
    pair.forEach(({ env, observation }, sample) => hooks.observe!({ sample, env, observation }));
    await hooks.beforeUpdate!({
      update: 1,
      step: 0,
      batchSize: 2,
      images: new Float32Array(2 * 147),
      missions: new Float32Array(2 * 64),
    });
    assert.deepEqual(asked.sort(), pair.map(({ observation }) => observation.mission).sort());
    // One picture under two missions: the same PNG goes with both questions.
    assert.ok(images[0] instanceof Uint8Array && images[0].length > 0);
    assert.deepEqual(images[1], images[0]);
    assert.equal(hooks.metrics!()['teacher/queries'], 2);
    assert.equal(hooks.metrics!()['teacher/targeted_samples'], 2);
    await hooks.dispose!();
  });
});

import { encodeRgbPng } from '@teacher-gateway/client';
import { makeEnv } from '../envs/make-env.ts';
import type { GridWorldEnv } from '../envs/grid-world/grid-world-env.ts';
import { NumpyGenerator } from '../random/numpy-generator.ts';
import { planAction } from '../teachers/planner/plan-action.ts';

/** One state a teacher is asked about, with the planner's answer from the full state. */
export interface TeacherState {
  png: Uint8Array;
  mission: string;
  plannerAction: number;
  /** How the state was reached: a random walk or the planner's own path. */
  source: 'random' | 'planner';
}

export interface SampleOptions {
  envId: string;
  count: number;
  seed: number;
  /** Pixels per cell of the render the teacher sees (the LVLM2P release: 32). */
  tileSize?: number;
  /** Longest walk before a state is taken. Default 40. */
  maxWalk?: number;
}

/**
 * `count` states from the env's own state distribution: half from random walks, half from the
 * planner's path (with 20% random steps so it leaves the optimal corridor), each after a random
 * number of steps from a fresh seeded episode. States the planner cannot solve are skipped.
 */
export function sampleTeacherStates(options: SampleOptions): TeacherState[] {
  const env = makeEnv(options.envId as `MiniGrid-${string}`) as GridWorldEnv;
  const random = new NumpyGenerator(options.seed);
  const maxWalk = options.maxWalk ?? 40;
  const states: TeacherState[] = [];
  let episode = 0;
  while (states.length < options.count) {
    if (episode > options.count * 20)
      throw new Error(`could not find ${options.count} plannable states in ${options.envId}`);
    const source = states.length % 2 === 0 ? 'random' : 'planner';
    env.reset(options.seed * 100_003 + episode++);
    const steps = Math.floor(random.random() * maxWalk);
    let done = false;
    for (let t = 0; t < steps && !done; t++) {
      let action = Math.floor(random.random() * 7);
      if (source === 'planner' && random.random() >= 0.2) {
        const plan = planAction(env.snapshot());
        if (plan.ok) action = plan.action;
      }
      const result = env.step(action);
      done = result.terminated || result.truncated;
    }
    if (done) continue;
    const snapshot = env.snapshot();
    const plan = planAction(snapshot);
    if (!plan.ok) continue;
    states.push({
      png: encodeRgbPng(env.renderRgb({ tileSize: options.tileSize ?? 32 })),
      mission: snapshot.mission,
      plannerAction: plan.action,
      source,
    });
  }
  return states;
}

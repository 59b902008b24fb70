import { readPhysicsScene } from '../../envs/physics/read-physics-scene.ts';
import type { NumpyGenerator } from '../../random/numpy-generator.ts';
import type { ActionAdvisor } from '../action-advisor.ts';
import { readPhysicsTaskKind, suggestPhysicsAction } from './suggest-physics-action.ts';

export interface ScriptedActionAdvisorOptions {
  /** Uniform noise added to each component, at most this much either way. Default 0. */
  noise?: number;
  random?: NumpyGenerator;
}

/**
 * The simulated VLM's physics judgement without the gateway: reads the picture by colour and
 * runs the scripted policy. For tests and offline experiments on the algorithm alone; counts no
 * upstream calls.
 *
 * @example
 * await varl.train(args, { log, advisor: createScriptedActionAdvisor() })
 */
export function createScriptedActionAdvisor(
  options: ScriptedActionAdvisorOptions = {},
): ActionAdvisor {
  const noise = options.noise ?? 0;
  return {
    advise({ image, text }) {
      const kind = readPhysicsTaskKind(text);
      const action =
        kind === undefined ? undefined : suggestPhysicsAction(kind, readPhysicsScene(image));
      const jitter = () =>
        options.random && noise > 0 ? options.random.uniform(-noise, noise) : 0;
      return Promise.resolve({
        vector: action?.map((value) => Math.min(1, Math.max(-1, value + jitter()))),
        upstreamCalls: 0,
        cacheHit: false,
        inputTokens: 0,
        outputTokens: 0,
        ...(action === undefined ? { error: 'could not read the scene' } : {}),
      });
    },
  };
}

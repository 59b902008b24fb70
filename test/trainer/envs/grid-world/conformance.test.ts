import type { Env } from '@teacher-gateway/trainer';
import { GridWorldEnv, PhysicsEnv, envIds, makeEnv } from '@teacher-gateway/trainer';
import { envConformance } from '../../../conformance/env-conformance.ts';

/** The time limit each environment declares (MiniGrid's `max_steps`, a physics task's own). */
function maxEpisodeSteps(env: Env<unknown, unknown>): number {
  if (env instanceof GridWorldEnv) return env.snapshot().maxSteps;
  if (env instanceof PhysicsEnv) return env.maxEpisodeSteps;
  throw new TypeError(`no time limit known for ${env.id}`);
}

for (const id of envIds()) {
  envConformance(id, () => makeEnv(id), { steps: 300, maxEpisodeSteps });
}

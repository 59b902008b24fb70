import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Goal } from '../world/world-object.ts';

/** `EmptyEnv`: no randomness; agent at (1,1) facing right, goal in the far corner. */
export function emptyLayout(size: number): GridWorldLayout {
  return {
    width: size,
    height: size,
    maxSteps: 4 * size * size,
    seeThroughWalls: true,
    actionCount: 7,
    generate(state) {
      state.grid.wallRect(0, 0, size, size);
      state.grid.set(size - 2, size - 2, new Goal());
      state.agentX = 1;
      state.agentY = 1;
      state.agentDir = 0;
      state.mission = 'get to the green goal square';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}

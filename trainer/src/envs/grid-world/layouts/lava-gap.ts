import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Goal, Lava } from '../world/world-object.ts';

/** `LavaGapEnv`: a lava column with a single gap between the agent and the goal. */
export function lavaGapLayout(size: number): GridWorldLayout {
  return {
    width: size,
    height: size,
    maxSteps: 4 * size * size,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.wallRect(0, 0, size, size);
      state.agentX = 1;
      state.agentY = 1;
      state.agentDir = 0;
      grid.set(size - 2, size - 2, new Goal());
      const gapX = state.randInt(2, size - 2);
      const gapY = state.randInt(1, size - 1);
      grid.vertWall(gapX, 1, size - 2, () => new Lava());
      grid.set(gapX, gapY, null);
      state.mission = 'avoid the lava and get to the green goal square';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}

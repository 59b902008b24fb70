import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Goal, Lava } from '../world/world-object.ts';

const WIDTH = 9;
const HEIGHT = 7;

/** `DistShiftEnv`: two lava strips between the start and the goal; no randomness. */
export function distShiftLayout(strip2Row: number): GridWorldLayout {
  return {
    width: WIDTH,
    height: HEIGHT,
    maxSteps: 4 * WIDTH * HEIGHT,
    seeThroughWalls: true,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.wallRect(0, 0, WIDTH, HEIGHT);
      grid.set(WIDTH - 2, 1, new Goal());
      for (let i = 0; i < WIDTH - 6; i++) {
        grid.set(3 + i, 1, new Lava());
        grid.set(3 + i, strip2Row, new Lava());
      }
      state.agentX = 1;
      state.agentY = 1;
      state.agentDir = 0;
      state.mission = 'get to the green goal square';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}

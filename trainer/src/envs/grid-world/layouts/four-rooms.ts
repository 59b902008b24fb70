import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { Goal } from '../world/world-object.ts';

const SIZE = 19;

/** `FourRoomsEnv`: four rooms joined by one random gap in each inner wall segment. */
export function fourRoomsLayout(): GridWorldLayout {
  return {
    width: SIZE,
    height: SIZE,
    maxSteps: 100,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const grid = state.grid;
      grid.horzWall(0, 0);
      grid.horzWall(0, SIZE - 1);
      grid.vertWall(0, 0);
      grid.vertWall(SIZE - 1, 0);
      const roomW = Math.floor(SIZE / 2);
      const roomH = Math.floor(SIZE / 2);
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 2; i++) {
          const xL = i * roomW;
          const yT = j * roomH;
          const xR = xL + roomW;
          const yB = yT + roomH;
          if (i + 1 < 2) {
            grid.vertWall(xR, yT, roomH);
            grid.set(xR, state.randInt(yT + 1, yB), null);
          }
          if (j + 1 < 2) {
            grid.horzWall(xL, yB, roomW);
            grid.set(state.randInt(xL + 1, xR), yB, null);
          }
        }
      }
      state.placeAgent();
      state.placeObj(new Goal());
      state.mission = 'reach the goal';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}

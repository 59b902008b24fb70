import type { GridWorldLayout } from '../layout.ts';
import { RANDOM_COLOR_ORDER } from '../world/color.ts';
import { pickUpTarget } from './pick-up-target.ts';
import { readExtra } from './read-extra.ts';
import { RoomGrid } from './room-grid.ts';

/**
 * `KeyCorridorEnv`: a corridor of rooms down the middle column; the ball sits behind a
 * locked door on the right, its key in a room on the left.
 */
export function keyCorridorLayout(roomSize: number, numRows: number): GridWorldLayout {
  const numCols = 3;
  const { width, height } = RoomGrid.dimensions(roomSize, numRows, numCols);
  return {
    width,
    height,
    maxSteps: 30 * roomSize * roomSize,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const rooms = new RoomGrid(state, roomSize, numRows, numCols);
      rooms.generate();
      for (let j = 1; j < numRows; j++) rooms.removeWall(1, j, 3);
      const roomIdx = state.randInt(0, numRows);
      const { door } = rooms.addDoor(2, roomIdx, 2, undefined, true);
      const { object: ball } = rooms.addObject(2, roomIdx, 'ball');
      rooms.addObject(0, state.randInt(0, numRows), 'key', door.color);
      rooms.placeAgent(1, Math.floor(numRows / 2));
      rooms.connectAll(RANDOM_COLOR_ORDER);
      state.mission = pickUpTarget.mission(ball);
      return pickUpTarget.rules(ball);
    },
    restore: (state, extra) => pickUpTarget.restore(state, readExtra(extra, 'KeyCorridor')),
  };
}

import type { GridWorldLayout } from '../layout.ts';
import { Ball } from '../world/world-object.ts';
import { pickUpTarget } from './pick-up-target.ts';
import { readExtra } from './read-extra.ts';
import { RoomGrid } from './room-grid.ts';

const ROOM_SIZE = 6;

/**
 * `UnlockPickupEnv` and, with `blocked`, `BlockedUnlockPickupEnv`: fetch the box behind a
 * locked door (in the blocked variant a ball stands right behind the door, on the agent's side).
 */
export function unlockPickupLayout(blocked: boolean): GridWorldLayout {
  const { width, height } = RoomGrid.dimensions(ROOM_SIZE, 1, 2);
  const envName = blocked ? 'BlockedUnlockPickup' : 'UnlockPickup';
  return {
    width,
    height,
    maxSteps: (blocked ? 16 : 8) * ROOM_SIZE * ROOM_SIZE,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const rooms = new RoomGrid(state, ROOM_SIZE, 1, 2);
      rooms.generate();
      const { object: box } = rooms.addObject(1, 0, 'box');
      const { door, pos } = rooms.addDoor(0, 0, 0, undefined, true);
      if (blocked) {
        const color = state.randColor();
        state.grid.set(pos[0] - 1, pos[1], new Ball(color));
      }
      rooms.addObject(0, 0, 'key', door.color);
      rooms.placeAgent(0, 0);
      state.mission = pickUpTarget.mission(box);
      return pickUpTarget.rules(box);
    },
    restore: (state, extra) => pickUpTarget.restore(state, readExtra(extra, envName)),
  };
}

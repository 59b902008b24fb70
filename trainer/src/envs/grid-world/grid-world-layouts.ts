import type { GridWorldLayout } from './layout.ts';
import { crossingLayout } from './layouts/crossing.ts';
import { distShiftLayout } from './layouts/dist-shift.ts';
import { doorKeyLayout } from './layouts/door-key.ts';
import { dynamicObstaclesLayout } from './layouts/dynamic-obstacles.ts';
import { emptyLayout } from './layouts/empty.ts';
import { fetchLayout } from './layouts/fetch.ts';
import { fourRoomsLayout } from './layouts/four-rooms.ts';
import { goToDoorLayout } from './layouts/go-to-door.ts';
import { keyCorridorLayout } from './layouts/key-corridor.ts';
import { lavaGapLayout } from './layouts/lava-gap.ts';
import { memoryLayout } from './layouts/memory.ts';
import { multiRoomLayout } from './layouts/multi-room.ts';
import { putNearLayout } from './layouts/put-near.ts';
import { redBlueDoorsLayout } from './layouts/red-blue-doors.ts';
import { unlockPickupLayout } from './layouts/unlock-pickup.ts';
import { unlockLayout } from './layouts/unlock.ts';

/** Every registered MiniGrid id with the constructor arguments Gymnasium registers it with. */
export const GRID_WORLD_LAYOUTS: Readonly<Record<string, () => GridWorldLayout>> = {
  'MiniGrid-Empty-5x5-v0': () => emptyLayout(5),
  'MiniGrid-Empty-6x6-v0': () => emptyLayout(6),
  'MiniGrid-Empty-8x8-v0': () => emptyLayout(8),
  'MiniGrid-Empty-16x16-v0': () => emptyLayout(16),
  'MiniGrid-DoorKey-5x5-v0': () => doorKeyLayout(5),
  'MiniGrid-DoorKey-6x6-v0': () => doorKeyLayout(6),
  'MiniGrid-DoorKey-8x8-v0': () => doorKeyLayout(8),
  'MiniGrid-DoorKey-16x16-v0': () => doorKeyLayout(16),
  'MiniGrid-FourRooms-v0': () => fourRoomsLayout(),
  'MiniGrid-Unlock-v0': () => unlockLayout(),
  'MiniGrid-UnlockPickup-v0': () => unlockPickupLayout(false),
  'MiniGrid-BlockedUnlockPickup-v0': () => unlockPickupLayout(true),
  'MiniGrid-KeyCorridorS3R1-v0': () => keyCorridorLayout(3, 1),
  'MiniGrid-KeyCorridorS3R2-v0': () => keyCorridorLayout(3, 2),
  'MiniGrid-KeyCorridorS3R3-v0': () => keyCorridorLayout(3, 3),
  'MiniGrid-LavaGapS5-v0': () => lavaGapLayout(5),
  'MiniGrid-LavaGapS6-v0': () => lavaGapLayout(6),
  'MiniGrid-LavaGapS7-v0': () => lavaGapLayout(7),
  'MiniGrid-LavaCrossingS9N1-v0': () => crossingLayout(9, 1, 'lava'),
  'MiniGrid-SimpleCrossingS9N1-v0': () => crossingLayout(9, 1, 'wall'),
  'MiniGrid-MultiRoom-N2-S4-v0': () => multiRoomLayout(2, 2, 4),
  // Gymnasium registers N4-S5-v0 with 6 rooms (a legacy misconfiguration MiniGrid kept).
  'MiniGrid-MultiRoom-N4-S5-v0': () => multiRoomLayout(6, 6, 5),
  'MiniGrid-MultiRoom-N4-S5-v1': () => multiRoomLayout(4, 4, 5),
  'MiniGrid-GoToDoor-5x5-v0': () => goToDoorLayout(5),
  'MiniGrid-Fetch-5x5-N2-v0': () => fetchLayout(5, 2),
  'MiniGrid-PutNear-6x6-N2-v0': () => putNearLayout(6, 2),
  'MiniGrid-RedBlueDoors-6x6-v0': () => redBlueDoorsLayout(6),
  'MiniGrid-MemoryS7-v0': () => memoryLayout(7),
  'MiniGrid-DistShift1-v0': () => distShiftLayout(2),
  'MiniGrid-Dynamic-Obstacles-5x5-v0': () => dynamicObstaclesLayout(5, 2),
};

export function gridWorldLayout(id: string): GridWorldLayout {
  const make = GRID_WORLD_LAYOUTS[id];
  if (make === undefined) throw new RangeError(`unknown grid-world env id "${id}"`);
  return make();
}

import type { GridWorldState, Position } from '../grid-world-state.ts';
import { BASE_RULES } from '../layout.ts';
import type { GridWorldLayout } from '../layout.ts';
import { RANDOM_COLOR_ORDER } from '../world/color.ts';
import { Door, Goal, Wall } from '../world/world-object.ts';

const SIZE = 25;

interface PlacedRoom {
  top: Position;
  size: Position;
  entryDoor: Position;
}

/**
 * `MultiRoomEnv`: a chain of rooms joined by closed doors, placed recursively by rejection
 * sampling on an otherwise empty 25x25 map; the goal is in the last room.
 */
export function multiRoomLayout(
  minRooms: number,
  maxRooms: number,
  maxRoomSize: number,
): GridWorldLayout {
  const placeRoom = (
    state: GridWorldState,
    numLeft: number,
    rooms: PlacedRoom[],
    entryWall: number,
    entryDoor: Position,
  ): boolean => {
    const sizeX = state.randInt(4, maxRoomSize + 1);
    const sizeY = state.randInt(4, maxRoomSize + 1);
    let topX: number;
    let topY: number;
    const [ex, ey] = entryDoor;
    if (rooms.length === 0) {
      topX = ex;
      topY = ey;
    } else if (entryWall === 0) {
      topX = ex - sizeX + 1;
      topY = state.randInt(ey - sizeY + 2, ey);
    } else if (entryWall === 1) {
      topX = state.randInt(ex - sizeX + 2, ex);
      topY = ey - sizeY + 1;
    } else if (entryWall === 2) {
      topX = ex;
      topY = state.randInt(ey - sizeY + 2, ey);
    } else {
      topX = state.randInt(ex - sizeX + 2, ex);
      topY = ey;
    }
    if (topX < 0 || topY < 0) return false;
    // MiniGrid's own bounds test: `>=` on y but `>` on x.
    if (topX + sizeX > SIZE || topY + sizeY >= SIZE) return false;
    for (let r = 0; r < rooms.length - 1; r++) {
      const room = rooms[r]!;
      const nonOverlap =
        topX + sizeX < room.top[0] ||
        room.top[0] + room.size[0] <= topX ||
        topY + sizeY < room.top[1] ||
        room.top[1] + room.size[1] <= topY;
      if (!nonOverlap) return false;
    }
    rooms.push({ top: [topX, topY], size: [sizeX, sizeY], entryDoor });
    if (numLeft === 1) return true;
    const exitWalls = [0, 1, 2, 3].filter((w) => w !== entryWall);
    for (let attempt = 0; attempt < 8; attempt++) {
      const exitWall = state.randElem(exitWalls);
      let exitDoor: Position;
      if (exitWall === 0) exitDoor = [topX + sizeX - 1, topY + state.randInt(1, sizeY - 1)];
      else if (exitWall === 1) exitDoor = [topX + state.randInt(1, sizeX - 1), topY + sizeY - 1];
      else if (exitWall === 2) exitDoor = [topX, topY + state.randInt(1, sizeY - 1)];
      else exitDoor = [topX + state.randInt(1, sizeX - 1), topY];
      if (placeRoom(state, numLeft - 1, rooms, (exitWall + 2) % 4, exitDoor)) break;
    }
    // A room that was appended counts as placed even if its successors were not.
    return true;
  };

  return {
    width: SIZE,
    height: SIZE,
    maxSteps: 20 * maxRooms,
    seeThroughWalls: false,
    actionCount: 7,
    generate(state) {
      const numRooms = state.randInt(minRooms, maxRooms + 1);
      let rooms: PlacedRoom[] = [];
      while (rooms.length < numRooms) {
        const attempt: PlacedRoom[] = [];
        const entry: Position = [state.randInt(0, SIZE - 2), state.randInt(0, SIZE - 2)];
        placeRoom(state, numRooms, attempt, 2, entry);
        if (attempt.length > rooms.length) rooms = attempt;
      }
      const grid = state.grid;
      const wall = new Wall();
      let previousColor: number | null = null;
      rooms.forEach((room, index) => {
        const [topX, topY] = room.top;
        const [sizeX, sizeY] = room.size;
        for (let i = 0; i < sizeX; i++) {
          grid.set(topX + i, topY, wall);
          grid.set(topX + i, topY + sizeY - 1, wall);
        }
        for (let j = 0; j < sizeY; j++) {
          grid.set(topX, topY + j, wall);
          grid.set(topX + sizeX - 1, topY + j, wall);
        }
        if (index > 0) {
          const colors = RANDOM_COLOR_ORDER.filter((c) => c !== previousColor);
          const color = state.randElem(colors);
          grid.set(room.entryDoor[0], room.entryDoor[1], new Door(color));
          previousColor = color;
        }
      });
      const first = rooms[0]!;
      const last = rooms[rooms.length - 1]!;
      state.placeAgent(first.top, first.size);
      state.placeObj(new Goal(), last.top, last.size);
      state.mission = 'traverse the rooms to get to the goal';
      return BASE_RULES;
    },
    restore: () => BASE_RULES,
  };
}

import type { GridWorldState, Position } from '../grid-world-state.ts';
import { ObjectType } from '../world/object-type.ts';
import { Ball, Box, Door, Key } from '../world/world-object.ts';
import type { WorldObject } from '../world/world-object.ts';

export type ObjectKind = 'key' | 'ball' | 'box';
const KINDS: readonly ObjectKind[] = ['key', 'ball', 'box'];

interface Room {
  top: Position;
  size: number;
  /** Per wall (0 right, 1 down, 2 left, 3 up): a door, or `true` for a removed wall. */
  doors: (Door | true | null)[];
  doorPos: (Position | null)[];
  neighbors: (Room | null)[];
  locked: boolean;
}

export function makeObject(kind: ObjectKind, color: number): WorldObject {
  return kind === 'key' ? new Key(color) : kind === 'ball' ? new Ball(color) : new Box(color);
}

/**
 * MiniGrid's `RoomGrid` (`core/roomgrid.py`): square rooms sharing walls, with door positions
 * pre-drawn per wall. Methods reproduce MiniGrid's draw order exactly.
 */
export class RoomGrid {
  private readonly rooms: Room[][] = [];

  constructor(
    private readonly state: GridWorldState,
    readonly roomSize: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {}

  static dimensions(
    roomSize: number,
    numRows: number,
    numCols: number,
  ): { width: number; height: number } {
    return { width: (roomSize - 1) * numCols + 1, height: (roomSize - 1) * numRows + 1 };
  }

  /** `RoomGrid._gen_grid`: walls, door positions, and the temporary agent position in the middle room. */
  generate(): void {
    const { state, roomSize } = this;
    for (let j = 0; j < this.numRows; j++) {
      const row: Room[] = [];
      for (let i = 0; i < this.numCols; i++) {
        const room: Room = {
          top: [i * (roomSize - 1), j * (roomSize - 1)],
          size: roomSize,
          doors: [null, null, null, null],
          doorPos: [null, null, null, null],
          neighbors: [null, null, null, null],
          locked: false,
        };
        row.push(room);
        state.grid.wallRect(room.top[0], room.top[1], roomSize, roomSize);
      }
      this.rooms.push(row);
    }
    for (let j = 0; j < this.numRows; j++) {
      for (let i = 0; i < this.numCols; i++) {
        const room = this.room(i, j);
        const xL = room.top[0] + 1;
        const yL = room.top[1] + 1;
        const xM = room.top[0] + room.size - 1;
        const yM = room.top[1] + room.size - 1;
        if (i < this.numCols - 1) {
          room.neighbors[0] = this.room(i + 1, j);
          room.doorPos[0] = [xM, state.randInt(yL, yM)];
        }
        if (j < this.numRows - 1) {
          room.neighbors[1] = this.room(i, j + 1);
          room.doorPos[1] = [state.randInt(xL, xM), yM];
        }
        if (i > 0) {
          const left = this.room(i - 1, j);
          room.neighbors[2] = left;
          room.doorPos[2] = left.doorPos[0] ?? null;
        }
        if (j > 0) {
          const up = this.room(i, j - 1);
          room.neighbors[3] = up;
          room.doorPos[3] = up.doorPos[1] ?? null;
        }
      }
    }
    state.agentX = Math.floor(this.numCols / 2) * (roomSize - 1) + Math.floor(roomSize / 2);
    state.agentY = Math.floor(this.numRows / 2) * (roomSize - 1) + Math.floor(roomSize / 2);
    state.agentDir = 0;
  }

  private room(i: number, j: number): Room {
    const room = this.rooms[j]?.[i];
    if (room === undefined) throw new RangeError(`no room (${i}, ${j})`);
    return room;
  }

  /** `add_object`: kind and colour drawn when not given; never within distance 1 of the current agent position. */
  addObject(
    i: number,
    j: number,
    kind?: ObjectKind,
    color?: number,
  ): { object: WorldObject; pos: Position } {
    const state = this.state;
    const chosenKind = kind ?? state.randElem(KINDS);
    const chosenColor = color ?? state.randColor();
    const object = makeObject(chosenKind, chosenColor);
    return { object, pos: this.placeInRoom(i, j, object) };
  }

  placeInRoom(i: number, j: number, object: WorldObject): Position {
    const state = this.state;
    const room = this.room(i, j);
    const agentX = state.agentX;
    const agentY = state.agentY;
    return state.placeObj(
      object,
      room.top,
      [room.size, room.size],
      (x, y) => Math.abs(agentX - x) + Math.abs(agentY - y) < 2,
      1000,
    );
  }

  /** `add_door`: wall, colour and lock drawn when not given. */
  addDoor(
    i: number,
    j: number,
    doorIdx?: number,
    color?: number,
    locked?: boolean,
  ): { door: Door; pos: Position } {
    const state = this.state;
    const room = this.room(i, j);
    let wall = doorIdx;
    if (wall === undefined) {
      do wall = state.randInt(0, 4);
      while (room.neighbors[wall] === null || room.doors[wall] !== null);
    }
    const doorColor = color ?? state.randColor();
    const isLocked = locked ?? state.randBool();
    if (room.doors[wall] !== null) throw new Error('door already exists');
    room.locked = isLocked;
    const door = new Door(doorColor, false, isLocked);
    const pos = room.doorPos[wall];
    const neighbor = room.neighbors[wall];
    if (pos == null || neighbor == null)
      throw new Error(`room (${i}, ${j}) has no neighbour on wall ${wall}`);
    state.grid.set(pos[0], pos[1], door);
    room.doors[wall] = door;
    neighbor.doors[(wall + 2) % 4] = door;
    return { door, pos };
  }

  removeWall(i: number, j: number, wall: number): void {
    const room = this.room(i, j);
    const neighbor = room.neighbors[wall];
    if (room.doors[wall] !== null) throw new Error('door exists on this wall');
    if (neighbor == null) throw new Error('invalid wall');
    const [tx, ty] = room.top;
    const size = room.size;
    const grid = this.state.grid;
    for (let k = 1; k < size - 1; k++) {
      if (wall === 0) grid.set(tx + size - 1, ty + k, null);
      else if (wall === 1) grid.set(tx + k, ty + size - 1, null);
      else if (wall === 2) grid.set(tx, ty + k, null);
      else grid.set(tx + k, ty, null);
    }
    room.doors[wall] = true;
    neighbor.doors[(wall + 2) % 4] = true;
  }

  /** `RoomGrid.place_agent`: redraws until the agent faces an empty cell or a wall. */
  placeAgent(i?: number, j?: number): void {
    const state = this.state;
    const col = i ?? state.randInt(0, this.numCols);
    const row = j ?? state.randInt(0, this.numRows);
    const room = this.room(col, row);
    for (;;) {
      state.placeAgent(room.top, [room.size, room.size], true, 1000);
      const front = state.grid.get(state.frontX, state.frontY);
      if (front === null || front.type === ObjectType.wall) return;
    }
  }

  /** `connect_all`: adds closed, unlocked doors until every room is reachable from the agent's room. */
  connectAll(doorColors: readonly number[], maxIterations = 5000): void {
    const state = this.state;
    const start = this.room(
      Math.floor(state.agentX / (this.roomSize - 1)),
      Math.floor(state.agentY / (this.roomSize - 1)),
    );
    const total = this.numRows * this.numCols;
    for (let iteration = 0; ; iteration++) {
      if (iteration > maxIterations) throw new Error('connectAll failed');
      if (this.reachable(start) === total) return;
      const i = state.randInt(0, this.numCols);
      const j = state.randInt(0, this.numRows);
      const k = state.randInt(0, 4);
      const room = this.room(i, j);
      if (room.doorPos[k] === null || room.doors[k] !== null) continue;
      if (room.locked || room.neighbors[k]?.locked === true) continue;
      const color = state.randElem(doorColors);
      this.addDoor(i, j, k, color, false);
    }
  }

  private reachable(start: Room): number {
    const seen = new Set<Room>();
    const stack = [start];
    while (stack.length > 0) {
      const room = stack.pop()!;
      if (seen.has(room)) continue;
      seen.add(room);
      for (let k = 0; k < 4; k++) {
        const neighbor = room.neighbors[k];
        if (room.doors[k] !== null && neighbor != null) stack.push(neighbor);
      }
    }
    return seen.size;
  }
}

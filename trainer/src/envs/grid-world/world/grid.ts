import { Color } from './color.ts';
import { ObjectType } from './object-type.ts';
import { Wall } from './world-object.ts';
import type { WorldObject } from './world-object.ts';

/**
 * The world grid. Cells are indexed `x * height + y` so that the cached encoding has the
 * same `[x][y][channel]` layout as MiniGrid's `grid.encode()` and the renderer's picture;
 * the encoding is kept in sync on every write so observations read bytes, not objects.
 */
export class Grid {
  readonly objects: (WorldObject | null)[];
  /** `(x * height + y) * 3 + channel`, MiniGrid (type, colour, state). Read-only to callers. */
  readonly encoding: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.objects = new Array<WorldObject | null>(width * height).fill(null);
    this.encoding = new Uint8Array(width * height * 3);
    this.clear();
  }

  clear(): void {
    this.objects.fill(null);
    const encoding = this.encoding;
    encoding.fill(0);
    for (let k = 0; k < encoding.length; k += 3) encoding[k] = ObjectType.empty;
  }

  contains(x: number, y: number): boolean {
    return x >= 0 && y >= 0 && x < this.width && y < this.height;
  }

  get(x: number, y: number): WorldObject | null {
    if (!this.contains(x, y))
      throw new RangeError(`cell (${x}, ${y}) is outside the ${this.width}x${this.height} grid`);
    return this.objects[x * this.height + y] ?? null;
  }

  set(x: number, y: number, object: WorldObject | null): void {
    if (!this.contains(x, y))
      throw new RangeError(`cell (${x}, ${y}) is outside the ${this.width}x${this.height} grid`);
    this.setAt(x * this.height + y, object);
  }

  setAt(cell: number, object: WorldObject | null): void {
    this.objects[cell] = object;
    this.refresh(cell);
  }

  /** Re-encodes one cell after its object changed state (a door toggled). */
  refresh(cell: number): void {
    const object = this.objects[cell] ?? null;
    const k = cell * 3;
    const encoding = this.encoding;
    if (object === null) {
      encoding[k] = ObjectType.empty;
      encoding[k + 1] = 0;
      encoding[k + 2] = 0;
    } else {
      encoding[k] = object.type;
      encoding[k + 1] = object.color;
      encoding[k + 2] = object.state();
    }
  }

  horzWall(
    x: number,
    y: number,
    length = this.width - x,
    make: () => WorldObject = greyWall,
  ): void {
    for (let i = 0; i < length; i++) this.set(x + i, y, make());
  }

  vertWall(
    x: number,
    y: number,
    length = this.height - y,
    make: () => WorldObject = greyWall,
  ): void {
    for (let j = 0; j < length; j++) this.set(x, y + j, make());
  }

  wallRect(x: number, y: number, width: number, height: number): void {
    this.horzWall(x, y, width);
    this.horzWall(x, y + height - 1, width);
    this.vertWall(x, y, height);
    this.vertWall(x + width - 1, y, height);
  }

  /** `grid.encode()` as nested `[x][y][channel]` arrays, for the API border. */
  toNested(): number[][][] {
    const nested: number[][][] = [];
    const encoding = this.encoding;
    for (let x = 0; x < this.width; x++) {
      const column: number[][] = [];
      for (let y = 0; y < this.height; y++) {
        const k = (x * this.height + y) * 3;
        column.push([encoding[k]!, encoding[k + 1]!, encoding[k + 2]!]);
      }
      nested.push(column);
    }
    return nested;
  }
}

// Walls carry no state, so one shared instance per wall cell is indistinguishable from many.
const GREY_WALL = new Wall(Color.grey);
function greyWall(): WorldObject {
  return GREY_WALL;
}

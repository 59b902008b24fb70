import { Color } from './color.ts';
import { ObjectType } from './object-type.ts';

/** What an object's toggle may act on: the grid it sits in and the agent's hands. */
export interface ToggleContext {
  readonly carrying: WorldObject | null;
  setCell(x: number, y: number, object: WorldObject | null): void;
}

/**
 * A MiniGrid world object. Behaviour lives on the objects, as in `world_object.py`;
 * identity matters (some tasks succeed only on picking up the very object they placed).
 */
export abstract class WorldObject {
  abstract readonly type: number;
  constructor(readonly color: number) {}
  /** Whether the agent can walk onto the object. */
  canOverlap(): boolean {
    return false;
  }
  canPickup(): boolean {
    return false;
  }
  canContain(): boolean {
    return false;
  }
  /** Whether the object lets sight through (visibility sweep). */
  seeBehind(): boolean {
    return true;
  }
  /** Returns whether the toggle changed anything. */
  toggle(_context: ToggleContext, _x: number, _y: number): boolean {
    return false;
  }
  /** Third channel of the encoding. */
  state(): number {
    return 0;
  }
}

export class Wall extends WorldObject {
  readonly type = ObjectType.wall;
  constructor(color: number = Color.grey) {
    super(color);
  }
  override seeBehind(): boolean {
    return false;
  }
}

export class Floor extends WorldObject {
  readonly type = ObjectType.floor;
  constructor(color: number = Color.blue) {
    super(color);
  }
  override canOverlap(): boolean {
    return true;
  }
}

export class Goal extends WorldObject {
  readonly type = ObjectType.goal;
  constructor(color: number = Color.green) {
    super(color);
  }
  override canOverlap(): boolean {
    return true;
  }
}

export class Lava extends WorldObject {
  readonly type = ObjectType.lava;
  constructor() {
    super(Color.red);
  }
  override canOverlap(): boolean {
    return true;
  }
}

export class Door extends WorldObject {
  readonly type = ObjectType.door;
  constructor(
    color: number,
    public isOpen = false,
    public isLocked = false,
  ) {
    super(color);
  }
  override canOverlap(): boolean {
    return this.isOpen;
  }
  override seeBehind(): boolean {
    return this.isOpen;
  }
  override toggle(context: ToggleContext): boolean {
    if (this.isLocked) {
      // The key is kept: MiniGrid unlocks and opens in the same toggle without consuming it.
      const key = context.carrying;
      if (key instanceof Key && key.color === this.color) {
        this.isLocked = false;
        this.isOpen = true;
        return true;
      }
      return false;
    }
    this.isOpen = !this.isOpen;
    return true;
  }
  override state(): number {
    // MiniGrid reports "locked" only for closed doors; open wins.
    return this.isOpen ? 0 : this.isLocked ? 2 : 1;
  }
}

export class Key extends WorldObject {
  readonly type = ObjectType.key;
  constructor(color: number = Color.blue) {
    super(color);
  }
  override canPickup(): boolean {
    return true;
  }
}

export class Ball extends WorldObject {
  readonly type = ObjectType.ball;
  constructor(color: number = Color.blue) {
    super(color);
  }
  override canPickup(): boolean {
    return true;
  }
}

export class Box extends WorldObject {
  readonly type = ObjectType.box;
  constructor(
    color: number,
    public contains: WorldObject | null = null,
  ) {
    super(color);
  }
  override canPickup(): boolean {
    return true;
  }
  override canContain(): boolean {
    return true;
  }
  override toggle(context: ToggleContext, x: number, y: number): boolean {
    // The box is replaced by its contents, so an empty box is destroyed.
    context.setCell(x, y, this.contains);
    return true;
  }
}

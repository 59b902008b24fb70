import type { RandomSource } from '../../random/random-source.ts';
import { DIR_X, DIR_Y } from './action.ts';
import { RANDOM_COLOR_ORDER } from './world/color.ts';
import type { Grid } from './world/grid.ts';
import type { WorldObject } from './world/world-object.ts';

export type Position = [x: number, y: number];
export type RejectCell = (x: number, y: number) => boolean;

/**
 * The mutable state of a grid world plus MiniGrid's placement helpers, which layout
 * generators call in exactly MiniGrid's order so that seeded layouts match draw for draw.
 */
export class GridWorldState {
  agentX = -1;
  agentY = -1;
  agentDir = 0;
  carrying: WorldObject | null = null;
  stepCount = 0;
  mission = '';

  constructor(
    public grid: Grid,
    public maxSteps: number,
    public rng: RandomSource,
  ) {}

  get frontX(): number {
    return this.agentX + DIR_X[this.agentDir]!;
  }

  get frontY(): number {
    return this.agentY + DIR_Y[this.agentDir]!;
  }

  /** `1 - 0.9 * (step_count / max_steps)`, with MiniGrid's evaluation order. */
  reward(): number {
    return 1 - 0.9 * (this.stepCount / this.maxSteps);
  }

  randInt(low: number, high: number): number {
    return this.rng.integers(low, high);
  }

  randElem<T>(items: readonly T[]): T {
    return items[this.rng.integers(0, items.length)]!;
  }

  randBool(): boolean {
    return this.rng.integers(0, 2) === 0;
  }

  /** A colour index drawn from MiniGrid's sorted colour-name list. */
  randColor(): number {
    return this.randElem(RANDOM_COLOR_ORDER);
  }

  /**
   * MiniGrid's `place_obj`: rejection-samples an empty cell that is not the agent's.
   * Throws after `maxTries + 1` failed attempts, as MiniGrid does.
   */
  placeObj(
    object: WorldObject | null,
    top: Position = [0, 0],
    size: Position = [this.grid.width, this.grid.height],
    reject?: RejectCell,
    maxTries = Infinity,
  ): Position {
    const grid = this.grid;
    const topX = Math.max(top[0], 0);
    const topY = Math.max(top[1], 0);
    const endX = Math.min(topX + size[0], grid.width);
    const endY = Math.min(topY + size[1], grid.height);
    for (let tries = 0; ; tries++) {
      if (tries > maxTries) throw new Error('rejection sampling failed in placeObj');
      const x = this.rng.integers(topX, endX);
      const y = this.rng.integers(topY, endY);
      if (grid.objects[x * grid.height + y] !== null) continue;
      if (x === this.agentX && y === this.agentY) continue;
      if (reject !== undefined && reject(x, y)) continue;
      if (object !== null) grid.set(x, y, object);
      return [x, y];
    }
  }

  /** Where an object (by identity) lies in the grid, or null if it is not in the grid. */
  positionOf(object: WorldObject): Position | null {
    const cell = this.grid.objects.indexOf(object);
    if (cell < 0) return null;
    const height = this.grid.height;
    return [Math.floor(cell / height), cell % height];
  }

  /** MiniGrid's `place_agent`: position first, then a random direction. */
  placeAgent(
    top?: Position,
    size?: Position,
    randomDirection = true,
    maxTries = Infinity,
  ): Position {
    this.agentX = -1;
    this.agentY = -1;
    const position = this.placeObj(null, top, size, undefined, maxTries);
    this.agentX = position[0];
    this.agentY = position[1];
    if (randomDirection) this.agentDir = this.rng.integers(0, 4);
    return position;
  }
}

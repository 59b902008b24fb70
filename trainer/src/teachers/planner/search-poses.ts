import { Action, DIR_X, DIR_Y } from '../../envs/grid-world/action.ts';
import { ObjectType } from '../../envs/grid-world/world/object-type.ts';
import type { PlannerWorld } from './planner-world.ts';

/** How a search step changes the pose, and what it costs the agent. */
export const Step = {
  turnLeft: 0,
  turnRight: 1,
  forward: 2,
  /** Toggle a closed door, then walk in. */
  openDoor: 3,
  /** Toggle a locked door with its key in hand, then walk in. */
  unlockDoor: 4,
  /** Planned through a key/ball/box that must first be carried away (relaxed searches only). */
  moveBlocker: 5,
  /** Planned through a locked door whose key is not in hand (relaxed searches only). */
  needKey: 6,
} as const;
export type Step = (typeof Step)[keyof typeof Step];

export interface SearchOptions {
  /** Closed doors may be toggled open on the way (false where toggling ends the episode). */
  openDoors: boolean;
  /** Stepping onto the goal is allowed (it ends the episode). */
  enterGoal: boolean;
  relaxBlockers: boolean;
  relaxLocked: boolean;
  /** Cells never entered, by `x * height + y`. */
  forbidden?: ReadonlySet<number>;
  /** Extra cost of entering a cell, by `x * height + y`. */
  cellPenalty?: Float64Array;
}

/**
 * Makes any path with an unsolved obstacle dearer than every obstacle-free one, so the search
 * only plans through a blocker or a missing key when there is no way around.
 */
const RELAXED_PENALTY = 10_000;

export interface PoseSearch {
  readonly world: PlannerWorld;
  /** Cost from the start pose, by pose `(x * height + y) * 4 + dir`; Infinity if unreachable. */
  readonly cost: Float64Array;
  readonly start: number;
  /** The steps from the start to `pose`, in order (empty for the start itself). */
  path(pose: number): PathStep[];
  /** The cheapest reachable pose satisfying `accept`, or -1. */
  best(accept: (pose: number) => boolean): number;
}

export interface PathStep {
  /** Pose the step starts from. */
  from: number;
  step: Step;
}

export function poseOf(world: PlannerWorld, x: number, y: number, dir: number): number {
  return (x * world.height + y) * 4 + dir;
}

/** The cell (`x * height + y`) in front of a pose, or -1 outside the grid. */
export function frontCell(world: PlannerWorld, pose: number): number {
  const cell = pose >> 2;
  const dir = pose & 3;
  const x = Math.floor(cell / world.height) + DIR_X[dir]!;
  const y = (cell % world.height) + DIR_Y[dir]!;
  if (x < 0 || y < 0 || x >= world.width || y >= world.height) return -1;
  return x * world.height + y;
}

/** The MiniGrid action that begins a step. */
export function firstAction(step: Step): number {
  switch (step) {
    case Step.turnLeft:
      return Action.left;
    case Step.turnRight:
      return Action.right;
    case Step.forward:
      return Action.forward;
    case Step.openDoor:
    case Step.unlockDoor:
      return Action.toggle;
    default:
      return Action.pickup;
  }
}

/**
 * Dijkstra over poses (cell, direction) from the agent's pose. Moving costs what it costs the
 * agent in actions, so the cheapest path is an optimal action sequence; carried objects and
 * door states are held fixed except for the doors a path opens.
 */
export function searchPoses(world: PlannerWorld, options: SearchOptions): PoseSearch {
  const { width, height, cells } = world;
  const poses = width * height * 4;
  const cost = new Float64Array(poses).fill(Infinity);
  const parent = new Int32Array(poses).fill(-1);
  const via = new Uint8Array(poses);
  const start = poseOf(world, world.agent.x, world.agent.y, world.agent.dir);
  const heldKey =
    world.carrying !== null && world.carrying.type === ObjectType.key ? world.carrying.color : -1;

  const heap = new MinHeap();
  cost[start] = 0;
  heap.push(0, start);
  const relax = (from: number, to: number, extra: number, step: Step): void => {
    const next = cost[from]! + extra;
    if (next < cost[to]!) {
      cost[to] = next;
      parent[to] = from;
      via[to] = step;
      heap.push(next, to);
    }
  };
  while (heap.size > 0) {
    const [c, pose] = heap.pop();
    if (c > cost[pose]!) continue;
    const cell = pose >> 2;
    const dir = pose & 3;
    relax(pose, (cell << 2) | ((dir + 3) & 3), 1, Step.turnLeft);
    relax(pose, (cell << 2) | ((dir + 1) & 3), 1, Step.turnRight);
    const front = frontCell(world, pose);
    if (front < 0 || options.forbidden?.has(front) === true) continue;
    const type = cells[front * 3]!;
    const color = cells[front * 3 + 1]!;
    const state = cells[front * 3 + 2]!;
    const penalty = options.cellPenalty?.[front] ?? 0;
    const to = (front << 2) | dir;
    switch (type) {
      case ObjectType.unseen:
      case ObjectType.empty:
      case ObjectType.floor:
      case ObjectType.agent:
        relax(pose, to, 1 + penalty, Step.forward);
        break;
      case ObjectType.goal:
        if (options.enterGoal) relax(pose, to, 1 + penalty, Step.forward);
        break;
      case ObjectType.door:
        if (state === 0) relax(pose, to, 1 + penalty, Step.forward);
        else if (!options.openDoors) break;
        else if (state === 1) relax(pose, to, 2 + penalty, Step.openDoor);
        else if (color === heldKey) relax(pose, to, 2 + penalty, Step.unlockDoor);
        else if (options.relaxLocked) relax(pose, to, 2 + RELAXED_PENALTY, Step.needKey);
        break;
      case ObjectType.key:
      case ObjectType.ball:
      case ObjectType.box:
        // Pick up, step in, and later a few actions to put it down somewhere else.
        if (options.relaxBlockers) relax(pose, to, 6 + RELAXED_PENALTY, Step.moveBlocker);
        break;
      default:
        break;
    }
  }

  return {
    world,
    cost,
    start,
    path(pose) {
      const steps: PathStep[] = [];
      for (let p = pose; p !== start; p = parent[p]!) {
        if (parent[p]! < 0) return [];
        steps.push({ from: parent[p]!, step: via[p]! as Step });
      }
      return steps.reverse();
    },
    best(accept) {
      let found = -1;
      for (let p = 0; p < poses; p++) {
        if (cost[p]! < Infinity && accept(p) && (found < 0 || cost[p]! < cost[found]!)) found = p;
      }
      return found;
    },
  };
}

/** A binary min-heap of (cost, pose). */
class MinHeap {
  private readonly costs: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(cost: number, item: number): void {
    const costs = this.costs;
    const items = this.items;
    let i = items.length;
    costs.push(cost);
    items.push(item);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (costs[up]! <= cost) break;
      costs[i] = costs[up]!;
      items[i] = items[up]!;
      i = up;
    }
    costs[i] = cost;
    items[i] = item;
  }

  pop(): [number, number] {
    const costs = this.costs;
    const items = this.items;
    const top: [number, number] = [costs[0]!, items[0]!];
    const lastCost = costs.pop()!;
    const lastItem = items.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && costs[child + 1]! < costs[child]!) child++;
        if (costs[child]! >= lastCost) break;
        costs[i] = costs[child]!;
        items[i] = items[child]!;
        i = child;
      }
      costs[i] = lastCost;
      items[i] = lastItem;
    }
    return top;
  }
}

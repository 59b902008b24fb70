import { Action } from '../../envs/grid-world/action.ts';
import { Color } from '../../envs/grid-world/world/color.ts';
import { ObjectType } from '../../envs/grid-world/world/object-type.ts';
import { parseMission } from './parse-mission.ts';
import type { MissionTask } from './parse-mission.ts';
import type { Cell, HeldObject, PlanResult, PlannerWorld } from './planner-world.ts';
import { Step, firstAction, frontCell, searchPoses } from './search-poses.ts';
import type { PathStep, PoseSearch, SearchOptions } from './search-poses.ts';

/** Where the agent must get to, and what it does there. */
interface Objective {
  /** `stand`: be on one of `cells`; the others: face one of them. */
  kind: 'stand' | 'pickup' | 'toggle' | 'drop';
  cells: ReadonlySet<number>;
  search: SearchOptions;
  /** The action once a `stand` objective is reached (GoToDoor's `done`); none means stepping on finishes. */
  finish?: number;
  what: string;
}

const WAIT: PlanResult = { action: Action.left, ok: false };
/** Drop spots evaluated per decision: the nearest few are enough and keep a step cheap. */
const DROP_CANDIDATES = 16;
/** A sub-goal (fetching a key, clearing a blocker) may itself need one more. */
const MAX_DEPTH = 3;

/**
 * The next action towards the mission, planned on the full grid: Dijkstra over poses with doors
 * opened on the way, keys fetched for locked doors, blocking objects carried aside, lava and
 * moving obstacles avoided.
 */
export function planWorldAction(world: PlannerWorld): PlanResult {
  const task = parseMission(world.mission);
  const objective = objectiveFor(world, task);
  if (typeof objective === 'string') return { ...WAIT, reason: objective };
  const result = pursue(world, objective, 0);
  // Dynamic-Obstacles maps actions >= 3 to "left"; never suggest one there.
  if (result.action >= world.actionCount)
    return { action: Action.left, ok: false, reason: 'no move within the action space' };
  return result;
}

function objectiveFor(world: PlannerWorld, task: MissionTask): Objective | string {
  const { cells, width, height } = world;
  const cellsWhere = (
    test: (type: number, color: number, state: number) => boolean,
  ): Set<number> => {
    const found = new Set<number>();
    for (let c = 0; c < width * height; c++) {
      if (test(cells[c * 3]!, cells[c * 3 + 1]!, cells[c * 3 + 2]!)) found.add(c);
    }
    return found;
  };
  const matching = (object: HeldObject): Set<number> =>
    cellsWhere((type, color) => type === object.type && color === object.color);
  const index = ([x, y]: Cell): number => x * height + y;
  const base: SearchOptions = {
    openDoors: true,
    enterGoal: false,
    relaxBlockers: false,
    relaxLocked: false,
  };

  switch (task.kind) {
    case 'reach-goal': {
      const goals = cellsWhere((type) => type === ObjectType.goal);
      if (goals.size === 0) return 'no goal in sight';
      const moving = world.hints.movingObstacles ?? false;
      return {
        kind: 'stand',
        cells: goals,
        search: {
          ...base,
          enterGoal: true,
          relaxLocked: true,
          relaxBlockers: !moving,
          ...(moving ? { cellPenalty: obstacleReach(world) } : {}),
        },
        what: 'the goal',
      };
    }
    case 'open-door': {
      const doors = cellsWhere((type, _color, state) => type === ObjectType.door && state === 2);
      if (doors.size === 0) return 'no locked door in sight';
      return {
        kind: 'toggle',
        cells: doors,
        search: { ...base, relaxBlockers: true },
        what: 'the locked door',
      };
    }
    case 'red-then-blue': {
      const door = (color: number) =>
        cellsWhere((type, c) => type === ObjectType.door && c === color);
      const red = door(Color.red);
      const redOpen = [...red].some((c) => cells[c * 3 + 2] === 0);
      // Toggling doors on the way could open blue first, so doors are never opened in passing.
      const search = { ...base, openDoors: false };
      if (!redOpen)
        return red.size > 0
          ? { kind: 'toggle', cells: red, search, what: 'the red door' }
          : 'no red door in sight';
      const blue = door(Color.blue);
      return blue.size > 0
        ? { kind: 'toggle', cells: blue, search, what: 'the blue door' }
        : 'no blue door in sight';
    }
    case 'pick-up': {
      const targets = matching(task.object);
      if (targets.size === 0) return 'the object to pick up is not in sight';
      return {
        kind: 'pickup',
        cells: targets,
        search: { ...base, relaxBlockers: true, relaxLocked: true },
        what: 'the object to pick up',
      };
    }
    case 'fetch': {
      const targets = matching(task.object);
      if (targets.size === 0) return 'the object to fetch is not in sight';
      return { kind: 'pickup', cells: targets, search: base, what: 'the object to fetch' };
    }
    case 'put-near': {
      const carried = world.carrying;
      if (
        carried !== null &&
        (carried.type !== task.move.type || carried.color !== task.move.color)
      ) {
        return 'holding the wrong object';
      }
      if (carried === null) {
        const targets = matching(task.move);
        if (targets.size === 0) return 'the object to move is not in sight';
        return { kind: 'pickup', cells: targets, search: base, what: 'the object to move' };
      }
      let near: number;
      if (world.hints.nearPos !== undefined) near = index(world.hints.nearPos);
      else {
        const found = [...matching(task.near)];
        if (found.length === 0) return 'the target object is not in sight';
        near = found[0]!;
      }
      const nx = Math.floor(near / height);
      const ny = near % height;
      const spots = cellsWhere((type) => type === ObjectType.empty);
      for (const c of spots) {
        if (Math.max(Math.abs(Math.floor(c / height) - nx), Math.abs((c % height) - ny)) > 1)
          spots.delete(c);
      }
      return { kind: 'drop', cells: spots, search: base, what: 'a cell next to the target' };
    }
    case 'go-to-door': {
      let door: number;
      if (world.hints.doorPos !== undefined) door = index(world.hints.doorPos);
      else {
        const found = [
          ...cellsWhere((type, color) => type === ObjectType.door && color === task.color),
        ];
        if (found.length === 0) return 'the door is not in sight';
        door = found[0]!;
      }
      const dx = Math.floor(door / height);
      const dy = door % height;
      const next = new Set<number>();
      for (const [x, y] of [
        [dx + 1, dy],
        [dx - 1, dy],
        [dx, dy + 1],
        [dx, dy - 1],
      ] as const) {
        if (x >= 0 && y >= 0 && x < width && y < height) next.add(x * height + y);
      }
      // Any toggle ends GoToDoor with nothing, so doors stay shut.
      return {
        kind: 'stand',
        cells: next,
        search: { ...base, openDoors: false },
        finish: Action.done,
        what: 'the door',
      };
    }
    case 'memory': {
      const ends = memoryEnds(world);
      if (typeof ends === 'string') return ends;
      return {
        kind: 'stand',
        cells: new Set([index(ends.success)]),
        search: { ...base, openDoors: false, forbidden: new Set([index(ends.failure)]) },
        what: 'the matching object',
      };
    }
    case 'unknown':
      return `unknown mission "${world.mission}"`;
  }
}

/**
 * Memory's success cell: next to the end-of-hallway object that matches the one at the start.
 * The grid shows all three objects (pickup is remapped to toggle), so the hidden state is only
 * a shortcut.
 */
function memoryEnds(world: PlannerWorld): { success: Cell; failure: Cell } | string {
  const { successPos, failurePos } = world.hints;
  if (successPos !== undefined && failurePos !== undefined)
    return { success: successPos, failure: failurePos };
  const { cells, height, width } = world;
  const typeAt = (x: number, y: number): number =>
    x < width && y < height ? cells[(x * height + y) * 3]! : ObjectType.unseen;
  const isThing = (type: number) => type === ObjectType.key || type === ObjectType.ball;
  // The cue sits in the start room, left of the hallway; the choices at the far end, one above and one below it.
  let cue = -1;
  for (let x = 0; x < width - 3 && cue < 0; x++) {
    for (let y = 0; y < height; y++) if (isThing(typeAt(x, y))) cue = typeAt(x, y);
  }
  const endX = width - 2;
  const top = typeAt(endX, 1);
  const bottom = typeAt(endX, height - 2);
  if (cue < 0 || !isThing(top) || !isThing(bottom)) return 'the objects to match are not in sight';
  const upper: Cell = [endX, 2];
  const lower: Cell = [endX, height - 3];
  return top === cue ? { success: upper, failure: lower } : { success: lower, failure: upper };
}

/** Cells a moving ball could hop into next step get a small surcharge: a path there may get blocked. */
function obstacleReach(world: PlannerWorld): Float64Array {
  const { cells, width, height } = world;
  const penalty = new Float64Array(width * height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (cells[(x * height + y) * 3] !== ObjectType.ball) continue;
      for (let i = Math.max(0, x - 1); i <= Math.min(width - 1, x + 1); i++) {
        for (let j = Math.max(0, y - 1); j <= Math.min(height - 1, y + 1); j++)
          penalty[i * height + j] = 0.5;
      }
    }
  }
  return penalty;
}

function reached(search: PoseSearch, objective: Objective): number {
  const world = search.world;
  return search.best((pose) =>
    objective.kind === 'stand'
      ? objective.cells.has(pose >> 2)
      : objective.cells.has(frontCell(world, pose)),
  );
}

function pursue(world: PlannerWorld, objective: Objective, depth: number): PlanResult {
  if (depth > MAX_DEPTH)
    return { ...WAIT, reason: `too many sub-goals on the way to ${objective.what}` };
  const search = searchPoses(world, objective.search);
  const target = reached(search, objective);
  if (target < 0) return { ...WAIT, reason: `no way to ${objective.what}` };
  const path = search.path(target);
  const obstacle = path.findIndex((s) => s.step === Step.moveBlocker || s.step === Step.needKey);
  if (obstacle >= 0) return clearObstacle(world, objective, path, obstacle, depth);
  // Deciding at the objective what to do on arrival would walk there and back; decide now.
  const front = frontCell(world, target);
  if (objective.kind === 'toggle') {
    const color = world.cells[front * 3 + 1]!;
    const hasKey = world.carrying?.type === ObjectType.key && world.carrying.color === color;
    if (world.cells[front * 3 + 2] === 2 && !hasKey)
      return fetchKey(world, objective, color, depth);
  }
  if (
    objective.kind === 'pickup' &&
    world.carrying !== null &&
    !path.some((s) => s.step === Step.unlockDoor)
  ) {
    return putDown(world, objective, depth);
  }
  if (path.length > 0) return { action: firstAction(path[0]!.step), ok: true };

  // At the objective.
  switch (objective.kind) {
    case 'stand':
      return objective.finish !== undefined
        ? { action: objective.finish, ok: true }
        : { ...WAIT, reason: 'already there' };
    case 'pickup':
      return { action: Action.pickup, ok: true };
    case 'drop':
      return { action: Action.drop, ok: true };
    case 'toggle':
      return { action: Action.toggle, ok: true };
  }
}

function clearObstacle(
  world: PlannerWorld,
  objective: Objective,
  path: PathStep[],
  index: number,
  depth: number,
): PlanResult {
  const { from, step } = path[index]!;
  const cell = frontCell(world, from);
  if (step === Step.needKey) return fetchKey(world, objective, world.cells[cell * 3 + 1]!, depth);
  // A blocker: hands must be free to carry it away.
  if (world.carrying !== null) return putDown(world, objective, depth);
  return index === 0
    ? { action: Action.pickup, ok: true }
    : { action: firstAction(path[0]!.step), ok: true };
}

function fetchKey(
  world: PlannerWorld,
  objective: Objective,
  color: number,
  depth: number,
): PlanResult {
  if (world.carrying !== null) return putDown(world, objective, depth);
  const keys = new Set<number>();
  for (let c = 0; c < world.width * world.height; c++) {
    if (world.cells[c * 3] === ObjectType.key && world.cells[c * 3 + 1] === color) keys.add(c);
  }
  if (keys.size === 0) return { ...WAIT, reason: 'the key for the locked door is not in sight' };
  return pursue(
    world,
    {
      kind: 'pickup',
      cells: keys,
      search: { ...objective.search, relaxBlockers: true, relaxLocked: true },
      what: 'the key',
    },
    depth + 1,
  );
}

/**
 * Puts the carried object down where it costs least overall: the walk to the drop spot plus the
 * remaining plan with the object lying there (so it never lands on the path still to come).
 */
function putDown(world: PlannerWorld, objective: Objective, depth: number): PlanResult {
  const held = world.carrying;
  if (held === null) return pursue(world, objective, depth + 1);
  const search = searchPoses(world, {
    ...objective.search,
    relaxBlockers: false,
    relaxLocked: false,
  });
  const candidates: number[] = [];
  for (let pose = 0; pose < search.cost.length; pose++) {
    if (search.cost[pose] === Infinity) continue;
    const front = frontCell(world, pose);
    if (front < 0 || world.cells[front * 3] !== ObjectType.empty) continue;
    if (objective.search.forbidden?.has(front) === true) continue;
    candidates.push(pose);
  }
  candidates.sort((a, b) => search.cost[a]! - search.cost[b]! || a - b);
  let best = -1;
  let bestScore = Infinity;
  for (const pose of candidates.slice(0, DROP_CANDIDATES)) {
    const front = frontCell(world, pose);
    const cells = world.cells.slice();
    cells[front * 3] = held.type;
    cells[front * 3 + 1] = held.color;
    cells[front * 3 + 2] = 0;
    const cell = pose >> 2;
    const after: PlannerWorld = {
      ...world,
      cells,
      carrying: null,
      agent: { x: Math.floor(cell / world.height), y: cell % world.height, dir: pose & 3 },
    };
    const rest = searchPoses(after, {
      ...objective.search,
      relaxBlockers: true,
      relaxLocked: true,
    });
    const target = reached(rest, objective);
    if (target < 0) continue;
    const score = search.cost[pose]! + 1 + rest.cost[target]!;
    if (score < bestScore) {
      bestScore = score;
      best = pose;
    }
  }
  if (best < 0) return { ...WAIT, reason: 'nowhere to put down the carried object' };
  if (best === search.start) return { action: Action.drop, ok: true };
  return { action: firstAction(search.path(best)[0]!.step), ok: true };
}

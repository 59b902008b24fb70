import { Action, ACTION_LABELS, DIR_X, DIR_Y } from '../../envs/grid-world/action.ts';
import { ObjectType } from '../../envs/grid-world/world/object-type.ts';
import { planActionFromMission } from '../planner/plan-action-from-mission.ts';
import type { VisibleState } from '../planner/world-from-picture.ts';
import { MIN_PROBABILITY } from './action-distribution.ts';
import type { ObservationTask } from './read-observation-prompt.ts';
import { stateRandom } from './state-random.ts';
import { pickErrorMode } from './teacher-profile.ts';
import type { ErrorMode, TeacherProfile } from './teacher-profile.ts';

/** `all`: any listed action. `move`: only turn left / turn right / move forward, as the LVLM2P release's teacher. */
export type TeacherActionSet = 'all' | 'move';

export interface ProfileJudgement {
  probabilities: number[];
  /** Index of the planner's action (read correctly) among the listed ones; -1 when none. */
  planned: number;
  /** The error this state gets, when it gets one. */
  error?: ErrorMode;
  /** The teacher's answer for this state is unparseable. */
  malformed: boolean;
  reason?: string;
}

const MOVES = [Action.left, Action.right, Action.forward] as const;
const OBJECT_TYPES = new Set<number>([
  ObjectType.key,
  ObjectType.ball,
  ObjectType.box,
  ObjectType.door,
]);

/** What identifies a state to the teacher: the cells, the agent, the mission and the options. */
function stateKey(seen: VisibleState, task: ObservationTask): string {
  const { grid } = seen;
  const agent = grid.agent;
  return [
    grid.width,
    grid.height,
    Buffer.from(Uint8Array.from(grid.encoding)).toString('base64'),
    agent ? `${agent.x},${agent.y},${agent.dir}` : '-',
    seen.carrying ? `${seen.carrying.type},${seen.carrying.color}` : '-',
    task.mission,
    task.actions.map((a) => a.label).join('|'),
  ].join('#');
}

function planFrom(seen: VisibleState, count: number): number | undefined {
  const plan = planActionFromMission({ ...seen, actionCount: count });
  return plan.ok ? plan.action : undefined;
}

function withAgent(
  seen: VisibleState,
  change: { x?: number; y?: number; dir?: number },
): VisibleState {
  const agent = seen.grid.agent!;
  return { ...seen, grid: { ...seen.grid, agent: { ...agent, ...change } } };
}

/** The scene with one object's colour changed, or (when `drop`) one object gone. */
function withObjectMisread(
  seen: VisibleState,
  draw: () => number,
  drop: boolean,
): VisibleState | undefined {
  const { grid } = seen;
  const cells = Uint8Array.from(grid.encoding);
  const objects: number[] = [];
  for (let c = 0; c < grid.width * grid.height; c++)
    if (OBJECT_TYPES.has(cells[c * 3]!)) objects.push(c);
  if (objects.length === 0) return undefined;
  const cell = objects[Math.floor(draw() * objects.length)]!;
  if (drop) cells.set([ObjectType.empty, 0, 0], cell * 3);
  else cells[cell * 3 + 1] = (cells[cell * 3 + 1]! + 1 + Math.floor(draw() * 5)) % 6;
  return { ...seen, grid: { ...grid, encoding: cells } };
}

/** The wrong action a state gets under `mode`, or undefined when the mistake changes nothing. */
function mistakenAction(
  mode: ErrorMode,
  seen: VisibleState,
  planned: number,
  count: number,
  draw: () => number,
): number | undefined {
  const agent = seen.grid.agent!;
  const otherMoves = MOVES.filter((a) => a !== planned && a < count);
  switch (mode) {
    case 'detour':
      return otherMoves[Math.floor(draw() * otherMoves.length)];
    case 'long-detour':
      // Turning the other way than the plan does (or away from a target straight ahead).
      return planned === Action.left
        ? Action.right
        : planned === Action.right
          ? Action.left
          : otherMoves[Math.floor(draw() * otherMoves.length)];
    case 'off-by-one': {
      if (planned !== Action.left && planned !== Action.right && planned !== Action.forward)
        return Action.forward;
      const step = draw() < 0.5 ? 1 : -1;
      const moved = withAgent(seen, {
        x: agent.x + step * DIR_X[agent.dir]!,
        y: agent.y + step * DIR_Y[agent.dir]!,
      });
      return planFrom(moved, count);
    }
    case 'heading':
      return planFrom(
        withAgent(seen, { dir: (agent.dir + 1 + Math.floor(draw() * 3)) % 4 }),
        count,
      );
    case 'colour': {
      const misread = withObjectMisread(seen, draw, draw() < 0.3);
      return misread === undefined ? undefined : (planFrom(misread, count) ?? Action.left);
    }
    case 'invalid': {
      const useless = [Action.drop, Action.done, Action.pickup].filter(
        (a) => a !== planned && a < count,
      );
      return useless[Math.floor(draw() * useless.length)];
    }
    case 'malformed':
    case 'random':
      return undefined;
  }
}

/**
 * A profiled teacher's judgement of a state it read as `seen`: right on most states, and on a
 * fixed share of them (chosen by a hash of the state and `seed`) wrong in one of the profile's
 * ways, confidently, with the runner-up mass on the plausible moves (the right one first).
 */
export function judgeWithProfile(
  seen: VisibleState,
  task: ObservationTask,
  profile: TeacherProfile,
  options: { seed: number; actionSet: TeacherActionSet },
): ProfileJudgement {
  const count = task.actions.length;
  const labelOf = (index: number) => task.actions[index]!.label.trim().toLowerCase();
  const actionOfIndex = task.actions.map((_, i) => ACTION_LABELS.indexOf(labelOf(i)));
  const indexOfAction = (action: number) => actionOfIndex.indexOf(action);
  const draw = stateRandom(options.seed, stateKey(seen, task));
  const plan = planActionFromMission({ ...seen, actionCount: count });
  if (!plan.ok || seen.grid.agent === null)
    return { probabilities: [], planned: -1, malformed: false, reason: plan.reason ?? 'no plan' };

  const allowed = (action: number) =>
    indexOfAction(action) >= 0 &&
    (options.actionSet === 'all' || (MOVES as readonly number[]).includes(action));
  // A teacher limited to moves, or shown fewer actions, walks toward what it cannot do.
  const offered = (action: number) => (allowed(action) ? action : Action.forward);
  const planned = offered(plan.action);

  let chosen = planned;
  let error: ErrorMode | undefined;
  if (draw() < profile.errorRate) {
    error = pickErrorMode(profile.mix, draw());
    if (error === 'malformed') {
      return { probabilities: [], planned: indexOfAction(planned), error, malformed: true };
    }
    if (error === 'random') {
      const choices = actionOfIndex.filter((a) => a >= 0 && allowed(a));
      chosen = choices[Math.floor(draw() * choices.length)] ?? planned;
    } else {
      let wrong = error === undefined ? undefined : mistakenAction(error, seen, planned, count, draw);
      if (wrong !== undefined) wrong = offered(wrong);
      // A mistake that lands on the right answer anyway becomes a detour, so the rate holds.
      if (wrong === undefined || wrong === planned) {
        const moves = MOVES.filter((a) => a !== planned && allowed(a));
        wrong = moves[Math.floor(draw() * moves.length)] ?? planned;
      }
      chosen = wrong;
    }
  }

  const [low, high] = profile.confidence;
  const confidence = low + (high - low) * draw();
  const weights = actionOfIndex.map((action) => {
    if (!allowed(action) || action < 0) return 0;
    if (action === chosen) return 0;
    if (action === planned) return profile.runnerUpShare * 10;
    if ((MOVES as readonly number[]).includes(action)) return 1 + draw();
    return 0.05 * (1 + draw());
  });
  const runnerUp = weights.reduce((sum, w) => sum + w, 0);
  const probabilities = weights.map((w, i) =>
    actionOfIndex[i] === chosen ? confidence : runnerUp > 0 ? ((1 - confidence) * w) / runnerUp : 0,
  );
  const floored = probabilities.map((p) => Math.max(p, MIN_PROBABILITY));
  const total = floored.reduce((a, b) => a + b, 0);
  return {
    probabilities: floored.map((p) => p / total),
    planned: indexOfAction(planned),
    ...(error === undefined ? {} : { error }),
    malformed: false,
  };
}

import type { GridWorldSnapshot } from '../../envs/grid-world/grid-world-env.ts';
import { colorIndex } from '../../envs/grid-world/world/color.ts';
import { objectTypeIndex } from '../../envs/grid-world/world/object-type.ts';
import type { Cell, PlannerHints, PlannerWorld } from './planner-world.ts';

/** The snapshot fields the planner reads (a `GridWorldSnapshot`, or a recorded state of the same shape). */
export type PlannerState = Pick<
  GridWorldSnapshot,
  'grid' | 'agentPos' | 'agentDir' | 'carrying' | 'mission'
> &
  Partial<Pick<GridWorldSnapshot, 'envId' | 'extra'>>;

function cellOf(value: unknown): Cell | undefined {
  return Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v))
    ? [value[0] as number, value[1] as number]
    : undefined;
}

/** The full state as the planner sees it, with the env's hidden state as hints. */
export function worldFromSnapshot(state: PlannerState): PlannerWorld {
  const width = state.grid.length;
  const height = state.grid[0]?.length ?? 0;
  const cells = new Uint8Array(width * height * 3);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const cell = state.grid[x]?.[y];
      const k = (x * height + y) * 3;
      cells[k] = cell?.[0] ?? 1;
      cells[k + 1] = cell?.[1] ?? 0;
      cells[k + 2] = cell?.[2] ?? 0;
    }
  }
  const extra = state.extra ?? {};
  const hints: PlannerHints = {};
  const success = cellOf(extra['success_pos']);
  const failure = cellOf(extra['failure_pos']);
  if (success !== undefined && failure !== undefined) {
    hints.successPos = success;
    hints.failurePos = failure;
  }
  const target = cellOf(extra['target_pos']);
  if (target !== undefined) {
    // PutNear and GoToDoor both call it target_pos: a door there means GoToDoor.
    if (state.grid[target[0]]?.[target[1]]?.[0] === 4) hints.doorPos = target;
    else hints.nearPos = target;
  }
  const dynamic =
    extra['action_space_n'] === 3 || (state.envId ?? '').includes('Dynamic-Obstacles');
  if (dynamic) hints.movingObstacles = true;
  const [ax, ay] = state.agentPos;
  return {
    width,
    height,
    cells,
    agent: { x: ax, y: ay, dir: state.agentDir },
    carrying:
      state.carrying === null
        ? null
        : { type: objectTypeIndex(state.carrying[0]), color: colorIndex(state.carrying[1]) },
    mission: state.mission,
    actionCount: dynamic ? 3 : 7,
    hints,
  };
}

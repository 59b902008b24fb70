import { ObjectType } from '../../envs/grid-world/world/object-type.ts';
import { parseMission } from './parse-mission.ts';
import type { HeldObject, PlannerWorld } from './planner-world.ts';

/** What can be seen: a decoded MiniGrid render (`readGridPicture`), or a grid described in words. */
export interface VisibleGrid {
  width: number;
  height: number;
  /** `(x * height + y) * 3 + channel`, MiniGrid triples; the agent's cell holds what it stands on (or, in an agent view, carries). */
  encoding: ArrayLike<number>;
  agent: { x: number; y: number; dir: number } | null;
}

export interface VisibleState {
  grid: VisibleGrid;
  mission: string;
  /** What the agent holds, when the prompt says; otherwise guessed from what is missing. */
  carrying?: HeldObject | null;
  /** Number of actions offered (3 in Dynamic-Obstacles). Default 7. */
  actionCount?: number;
}

const isObject = (type: number) =>
  type === ObjectType.key || type === ObjectType.ball || type === ObjectType.box;

/**
 * The world a VLM could reconstruct from one frame and the mission, without the env's hidden
 * state. A full-map render does not show what the agent carries, so it is inferred the way a
 * careful viewer would: a mission object or a locked door's only key that has vanished from the
 * map is in the agent's hands.
 */
export function worldFromPicture(state: VisibleState): PlannerWorld | string {
  const { grid, mission } = state;
  const agent = grid.agent;
  if (agent === null) return 'no agent in the picture';
  const { width, height } = grid;
  const cells = Uint8Array.from(grid.encoding);
  const agentCell = (agent.x * height + agent.y) * 3;
  // An agent-view render (MiniGrid's RGBImgPartialObsWrapper) draws the carried object under the agent.
  const agentView =
    width === 7 && height === 7 && agent.x === 3 && agent.y === 6 && agent.dir === 3;
  let carrying = state.carrying;
  if (agentView && isObject(cells[agentCell]!)) {
    carrying ??= { type: cells[agentCell]!, color: cells[agentCell + 1]! };
  }
  if (isObject(cells[agentCell]!) || cells[agentCell] === ObjectType.agent) {
    cells[agentCell] = ObjectType.empty;
    cells[agentCell + 1] = 0;
    cells[agentCell + 2] = 0;
  }
  const task = parseMission(mission);
  const count = (test: (type: number, color: number, st: number) => boolean): number => {
    let n = 0;
    for (let c = 0; c < width * height; c++)
      if (test(cells[c * 3]!, cells[c * 3 + 1]!, cells[c * 3 + 2]!)) n++;
    return n;
  };
  if (carrying === undefined) {
    carrying = null;
    if (!agentView) {
      if (
        task.kind === 'put-near' &&
        count((t, c) => t === task.move.type && c === task.move.color) === 0
      ) {
        carrying = task.move;
      }
      const keys = count((t) => t === ObjectType.key);
      for (let c = 0; c < width * height && carrying === null; c++) {
        if (cells[c * 3] === ObjectType.door && cells[c * 3 + 2] === 2) {
          const color = cells[c * 3 + 1]!;
          if (count((t, k) => t === ObjectType.key && k === color) === 0)
            carrying = { type: ObjectType.key, color };
        }
      }
      // The pick-up missions always have one key; gone from the map, it is in hand (colour no longer matters).
      if (
        carrying === null &&
        task.kind === 'pick-up' &&
        task.object.type !== ObjectType.key &&
        keys === 0
      ) {
        carrying = { type: ObjectType.key, color: 0 };
      }
    }
  }
  const balls = count((t) => t === ObjectType.ball);
  const movingObstacles =
    task.kind === 'reach-goal' &&
    balls > 0 &&
    count((t) => t === ObjectType.door || t === ObjectType.key) === 0;
  return {
    width,
    height,
    cells,
    agent: { ...agent },
    carrying,
    mission,
    actionCount: state.actionCount ?? 7,
    hints: movingObstacles ? { movingObstacles } : {},
  };
}

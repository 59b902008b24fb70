/** A cell as `[x, y]`. */
export type Cell = readonly [x: number, y: number];

/** An object as MiniGrid encodes it: `OBJECT_TO_IDX` type and `COLOR_TO_IDX` colour. */
export interface HeldObject {
  type: number;
  color: number;
}

/**
 * What the planner plans from: a fully observed grid (MiniGrid's `grid.encode()`, flattened),
 * the agent, what it holds and the mission. Built from a snapshot (full state) or from a decoded
 * picture (what a VLM sees), so the planning itself never depends on hidden state.
 */
export interface PlannerWorld {
  width: number;
  height: number;
  /** `(x * height + y) * 3 + channel`: MiniGrid `(type, colour, state)` triples, agent not included. */
  cells: Uint8Array;
  agent: { x: number; y: number; dir: number };
  carrying: HeldObject | null;
  mission: string;
  /** 3 in Dynamic-Obstacles (left, right, forward), else 7. */
  actionCount: number;
  /** Env-specific hidden state when known; the planner derives it from the grid otherwise. */
  hints: PlannerHints;
}

export interface PlannerHints {
  /** Memory: the cell to stand on, and the one that fails. */
  successPos?: Cell;
  failurePos?: Cell;
  /** PutNear: the target object's original cell. */
  nearPos?: Cell;
  /** GoToDoor: the target door's cell. */
  doorPos?: Cell;
  /** Dynamic-Obstacles: balls are moving obstacles rather than objects to fetch. */
  movingObstacles?: boolean;
}

export interface PlanResult {
  /** MiniGrid action index (0 left ... 6 done). */
  action: number;
  /** False when the planner found no way to the mission; `action` is then a harmless wait. */
  ok: boolean;
  reason?: string;
}

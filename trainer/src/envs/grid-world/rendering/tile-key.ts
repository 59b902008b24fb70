/**
 * Numeric cache keys for rendered tiles, mirroring MiniGrid's tile cache key
 * (object encoding, agent direction or none, highlight) without building strings per cell.
 * Encodings that draw the same tile share a key: unseen and empty, and the ignored colour/state
 * channels of objects that do not show them.
 */

const TYPE_EMPTY = 1;
const TYPE_DOOR = 4;
const TYPE_AGENT = 10;
const COLORS = 6;
const STATES = 3;
const AGENT_CODES = 5;

/** Number of distinct keys; keys are `0 .. TILE_KEY_COUNT - 1`. */
export const TILE_KEY_COUNT = 10 * COLORS * STATES * AGENT_CODES * 2;

// Object code for every in-range raw triple, indexed by (type * 6 + colour) * 4 + state; -1 = invalid.
// Type 10 (FullyObsWrapper's agent cell) maps to empty: its direction is handled by the caller.
const OBJECT_CODE = new Int16Array(11 * COLORS * 4).fill(-1);
for (let type = 0; type <= TYPE_AGENT; type++) {
  for (let color = 0; color < COLORS; color++) {
    for (let state = 0; state < 4; state++) {
      let code: number;
      if (type <= TYPE_EMPTY || type === TYPE_AGENT) code = TYPE_EMPTY * COLORS * STATES;
      else if (type === TYPE_DOOR)
        code = state < STATES ? (type * COLORS + color) * STATES + state : -1;
      else code = (type * COLORS + color) * STATES;
      if (type === TYPE_AGENT && state > 3) code = -1;
      OBJECT_CODE[(type * COLORS + color) * 4 + state] = code;
    }
  }
}

/** The object part of a key, or -1 when the triple is not a drawable MiniGrid encoding. */
export function objectCode(type: number, color: number, state: number): number {
  if (type > TYPE_AGENT || color >= COLORS || state > 3) return -1;
  return OBJECT_CODE[(type * COLORS + color) * 4 + state]!;
}

/** `agentDir` is -1 for no agent, else 0..3. */
export function tileKey(objCode: number, agentDir: number, highlight: number): number {
  return (objCode * AGENT_CODES + agentDir + 1) * 2 + highlight;
}

export interface TileKeyParts {
  type: number;
  color: number;
  state: number;
  agentDir: number;
  highlight: boolean;
}

export function tileKeyParts(key: number): TileKeyParts {
  const highlight = (key & 1) === 1;
  let rest = key >> 1;
  const agentDir = (rest % AGENT_CODES) - 1;
  rest = Math.floor(rest / AGENT_CODES);
  const state = rest % STATES;
  rest = Math.floor(rest / STATES);
  const color = rest % COLORS;
  const type = Math.floor(rest / COLORS);
  return { type, color, state, agentDir, highlight };
}

import type { RandomSource } from '../../random/random-source.ts';
import { gridWorldLayout } from './grid-world-layouts.ts';
import { GridWorldEnv } from './grid-world-env.ts';
import type { Extra } from './layout.ts';
import { colorIndex } from './world/color.ts';
import { decodeObject } from './world/decode-object.ts';
import { objectTypeIndex } from './world/object-type.ts';

export interface GridWorldEncoding {
  envId: string;
  /** MiniGrid `grid.encode()`: `[x][y][type, colour, state]`, without the agent. */
  grid: readonly (readonly (readonly number[])[])[];
  agentPos: readonly [number, number] | readonly number[];
  agentDir: number;
  mission: string;
  maxSteps?: number;
  /** `["key", "yellow"]` (names, as in snapshots) or `[5, 4]` (encoding indices), or null. */
  carrying?:
    readonly [string, string] | readonly [number, number] | readonly (string | number)[] | null;
  /** Env-specific hidden state, named as in the reference fixtures (`target_pos`, `obstacles`, ...). */
  extra?: Extra;
  /** Steps already taken (0 for a reset state). */
  stepCount?: number;
}

export interface FromEncodingOptions {
  /** Seed of the numpy stream used by stochastic dynamics and by later `reset()` calls. */
  seed?: number;
  /** A random source to use instead (e.g. one replaying recorded draws). */
  random?: RandomSource;
}

/**
 * Builds a grid world in a recorded state, e.g. one exported from the Python MiniGrid; its
 * current observation is `env.observation()`, and `step` continues from there.
 */
export function fromEncoding(
  encoding: GridWorldEncoding,
  options: FromEncodingOptions = {},
): GridWorldEnv {
  const layout = gridWorldLayout(encoding.envId);
  const env = new GridWorldEnv(encoding.envId, layout, options);
  const state = env.state;
  const grid = state.grid;
  if (
    encoding.grid.length !== grid.width ||
    encoding.grid.some((column) => column.length !== grid.height)
  ) {
    throw new RangeError(
      `${encoding.envId}: the grid must be ${grid.width} columns of ${grid.height} cells`,
    );
  }
  for (let x = 0; x < grid.width; x++) {
    for (let y = 0; y < grid.height; y++) {
      const cell = encoding.grid[x]![y]!;
      grid.set(x, y, decodeObject(cell[0] ?? 1, cell[1] ?? 0, cell[2] ?? 0));
    }
  }
  const [ax, ay] = encoding.agentPos;
  if (ax === undefined || ay === undefined || !grid.contains(ax, ay)) {
    throw new RangeError(`${encoding.envId}: agentPos must be inside the grid`);
  }
  if (!Number.isInteger(encoding.agentDir) || encoding.agentDir < 0 || encoding.agentDir > 3) {
    throw new RangeError(`${encoding.envId}: agentDir must be 0..3`);
  }
  state.agentX = ax;
  state.agentY = ay;
  state.agentDir = encoding.agentDir;
  state.mission = encoding.mission;
  state.maxSteps = encoding.maxSteps ?? layout.maxSteps;
  state.stepCount = encoding.stepCount ?? 0;
  const carrying = encoding.carrying ?? null;
  if (carrying !== null) {
    const [type, color] = carrying;
    const typeIndex = typeof type === 'number' ? type : objectTypeIndex(String(type));
    const colorIdx = typeof color === 'number' ? color : colorIndex(String(color));
    state.carrying = decodeObject(typeIndex, colorIdx, 0);
  }
  env.load(layout.restore(state, encoding.extra ?? {}));
  return env;
}

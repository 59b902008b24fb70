import { DIR_X, DIR_Y } from './action.ts';
import type { GridWorldState } from './grid-world-state.ts';
import { VIEW_SIZE } from './observation.ts';
import { Color } from './world/color.ts';
import { ObjectType } from './world/object-type.ts';

const N = VIEW_SIZE;
const HALF = N >> 1;
const AGENT_VIEW_CELL = HALF * N + (N - 1);

/**
 * MiniGrid's `gen_obs_grid` + `encode(vis_mask)`: writes the 7x7x3 view into `image`
 * (`(i * 7 + j) * 3 + ch`) and the visibility mask into `visible` (`i * 7 + j`).
 * Visibility is `process_vis` computed on the raw view, before the agent's cell is
 * replaced by what it carries.
 */
export function computePartialView(
  state: GridWorldState,
  seeThroughWalls: boolean,
  image: Uint8Array,
  visible: Uint8Array,
): void {
  const grid = state.grid;
  const width = grid.width;
  const height = grid.height;
  const encoding = grid.encoding;
  const dx = DIR_X[state.agentDir]!;
  const dy = DIR_Y[state.agentDir]!;
  // right = (-dy, dx)
  const rx = -dy;
  const ry = dx;
  const ax = state.agentX;
  const ay = state.agentY;

  for (let i = 0; i < N; i++) {
    const offset = i - HALF;
    for (let j = 0; j < N; j++) {
      const depth = N - 1 - j;
      const x = ax + dx * depth + rx * offset;
      const y = ay + dy * depth + ry * offset;
      const k = (i * N + j) * 3;
      if (x >= 0 && y >= 0 && x < width && y < height) {
        const c = (x * height + y) * 3;
        image[k] = encoding[c]!;
        image[k + 1] = encoding[c + 1]!;
        image[k + 2] = encoding[c + 2]!;
      } else {
        // Outside the map reads as a grey wall, which also blocks sight.
        image[k] = ObjectType.wall;
        image[k + 1] = Color.grey;
        image[k + 2] = 0;
      }
    }
  }

  if (seeThroughWalls) {
    visible.fill(1);
  } else {
    processVisibility(image, visible);
  }

  const carrying = state.carrying;
  const a = AGENT_VIEW_CELL * 3;
  if (carrying === null) {
    image[a] = ObjectType.empty;
    image[a + 1] = 0;
    image[a + 2] = 0;
  } else {
    image[a] = carrying.type;
    image[a + 1] = carrying.color;
    image[a + 2] = carrying.state();
  }

  if (!seeThroughWalls) {
    for (let v = 0; v < N * N; v++) {
      if (visible[v] === 0) {
        const k = v * 3;
        image[k] = 0;
        image[k + 1] = 0;
        image[k + 2] = 0;
      }
    }
  }
}

/**
 * `seeBehind()` read from the encoded bytes (walls and closed or locked doors stop sight;
 * everything else, empty included, lets it through), so the sweep never touches objects.
 */
function transparent(image: Uint8Array, cell: number): boolean {
  const type = image[cell * 3]!;
  return type !== ObjectType.wall && !(type === ObjectType.door && image[cell * 3 + 2] !== 0);
}

/** `Grid.process_vis`, row by row from the agent's row outwards, left->right then right->left. */
function processVisibility(image: Uint8Array, mask: Uint8Array): void {
  mask.fill(0);
  mask[AGENT_VIEW_CELL] = 1;
  for (let j = N - 1; j >= 0; j--) {
    for (let i = 0; i < N - 1; i++) {
      const cell = i * N + j;
      if (mask[cell] === 0 || !transparent(image, cell)) continue;
      mask[cell + N] = 1;
      if (j > 0) {
        mask[cell + N - 1] = 1;
        mask[cell - 1] = 1;
      }
    }
    for (let i = N - 1; i > 0; i--) {
      const cell = i * N + j;
      if (mask[cell] === 0 || !transparent(image, cell)) continue;
      mask[cell - N] = 1;
      if (j > 0) {
        mask[cell - N - 1] = 1;
        mask[cell - 1] = 1;
      }
    }
  }
}

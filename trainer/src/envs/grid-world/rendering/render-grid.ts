import { tileCache } from './tile-cache.ts';
import { objectCode, tileKey } from './tile-key.ts';

/** RGB, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** What to draw: a grid of MiniGrid cell encodings, the agent and the highlighted cells. */
export interface GridPicture {
  /** In cells. */
  width: number;
  height: number;
  /**
   * `(x * height + y) * 3 + channel`; MiniGrid `(type, colour, state)` triples. Types 0 (unseen)
   * and 1 (empty) draw as an empty cell; type 10 (FullyObsWrapper's agent) draws the agent
   * facing `state` on an empty cell.
   */
  encoding: Uint8Array;
  agent: { x: number; y: number; dir: number } | null;
  /** `width * height`, indexed `x * height + y`; 1 = highlighted. */
  highlight: Uint8Array | null;
}

/**
 * MiniGrid's `Grid.render`: the picture drawn at `tileSize` pixels per cell, pixel for pixel
 * (reference §8). Tiles come from a cache, so a frame is mostly row copies.
 * Throws a RangeError for encodings MiniGrid could not draw.
 */
export function renderGrid(picture: GridPicture, tileSize: number): RgbImage {
  const { width, height, encoding, agent, highlight } = picture;
  if (!Number.isInteger(tileSize) || tileSize < 1)
    throw new RangeError(`bad tile size ${tileSize}`);
  if (encoding.length < width * height * 3)
    throw new RangeError('encoding is shorter than width * height * 3');
  if (highlight !== null && highlight.length < width * height) {
    throw new RangeError('highlight is shorter than width * height');
  }
  let agentCell = -1;
  if (agent !== null) {
    if (
      agent.x < 0 ||
      agent.x >= width ||
      agent.y < 0 ||
      agent.y >= height ||
      !(agent.dir >= 0 && agent.dir <= 3)
    ) {
      throw new RangeError(`agent ${JSON.stringify(agent)} is outside the picture`);
    }
    agentCell = agent.x * height + agent.y;
  }

  const imageWidth = width * tileSize;
  const stride = imageWidth * 3;
  const buffer = new ArrayBuffer(stride * height * tileSize);
  const data = new Uint8Array(buffer);
  // With tile sizes divisible by 4 every row starts on a word boundary, so rows are copied as
  // words; wide rows (large tiles) go through the native `set`, which wins there.
  const wordRow = tileSize % 4 === 0 && tileSize <= 16 ? (tileSize * 3) >> 2 : 0;
  const words = wordRow > 0 ? new Uint32Array(buffer) : null;
  const wordStride = stride >> 2;
  const tiles = tileCache.tilesFor(tileSize);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      const cell = x * height + y;
      const type = encoding[cell * 3]!;
      const state = encoding[cell * 3 + 2]!;
      const obj = objectCode(type, encoding[cell * 3 + 1]!, state);
      if (obj < 0) {
        throw new RangeError(
          `cell (${x},${y}) has an undrawable encoding ${encoding.subarray(cell * 3, cell * 3 + 3).join(',')}`,
        );
      }
      const agentDir = cell === agentCell ? agent!.dir : type === 10 ? state : -1;
      const key = tileKey(obj, agentDir, highlight !== null && highlight[cell] !== 0 ? 1 : 0);
      const tile = tiles[key] ?? tileCache.tile(key, tileSize);
      const offset = (y * tileSize * imageWidth + x * tileSize) * 3;
      if (words !== null) {
        const src = tile.words!;
        let to = offset >> 2;
        let from = 0;
        for (let r = 0; r < tileSize; r++) {
          for (let c = 0; c < wordRow; c++) words[to + c] = src[from + c]!;
          from += wordRow;
          to += wordStride;
        }
      } else {
        const rows = tile.rows;
        let to = offset;
        for (let r = 0; r < tileSize; r++) {
          data.set(rows[r]!, to);
          to += stride;
        }
      }
    }
  }
  return { width: imageWidth, height: height * tileSize, data };
}

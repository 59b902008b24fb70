import type { RgbImage } from './render-grid.ts';
import type { AtlasTile, TileAtlas } from './tile-atlas.ts';
import { hashTile, sameBytes, tileAtlas } from './tile-atlas.ts';

export interface ReadGridPictureOptions {
  /** Grid size in cells, when known (e.g. 7 x 7 for an agent view); fixes the tile size. */
  width?: number;
  height?: number;
  /** Pixels per cell, when known. */
  tileSize?: number;
  /**
   * Largest mean absolute difference per channel (0..255) between an image tile and its nearest
   * rendered tile before the image is rejected. Default 8: tolerates mild noise, rejects
   * anything that is not a MiniGrid render.
   */
  maxMeanDifference?: number;
  /** Both MiniGrid renders (full map and agent view) contain exactly one agent. Default true. */
  requireAgent?: boolean;
  /**
   * In an agent-view render, cells outside the field of view are drawn empty and unhighlighted;
   * 'unseen' decodes those as type 0 like `obs["image"]`. Default 'empty'.
   */
  unhighlightedEmptyAs?: 'empty' | 'unseen';
}

export interface GridPictureReading {
  ok: true;
  width: number;
  height: number;
  tileSize: number;
  /** `(x * height + y) * 3 + channel`, MiniGrid triples; the agent's cell holds what it is drawn on. */
  encoding: Uint8Array;
  agent: { x: number; y: number; dir: number } | null;
  /** `width * height`, indexed `x * height + y`. */
  highlight: Uint8Array;
  /** 1 when every tile matched exactly, lower as nearest matches get worse. */
  confidence: number;
}

export interface GridPictureFailure {
  ok: false;
  reason: string;
}

export type GridPictureReadResult = GridPictureReading | GridPictureFailure;

const MIN_CELLS = 3;
const MAX_CELLS = 32;
// Searched tile sizes stay within what MiniGrid produces: larger tiles cost seconds of tile
// rendering, and 1-2 px "tiles" are mere colour averages that nearest matching would accept
// for almost any image.
const MIN_SEARCHED_TILE_SIZE = 3;
const MAX_SEARCHED_TILE_SIZE = 64;

interface TileMatch {
  tile: AtlasTile;
  /** Mean absolute difference per channel; 0 = exact. */
  difference: number;
}

interface Candidate {
  tileSize: number;
  matches: TileMatch[];
  exact: boolean;
  meanDifference: number;
}

function tileSizesToTry(image: RgbImage, options: ReadGridPictureOptions): number[] {
  const fromCells = (pixels: number, cells: number | undefined): number | undefined =>
    cells === undefined ? undefined : pixels / cells;
  const known = [
    options.tileSize,
    fromCells(image.width, options.width),
    fromCells(image.height, options.height),
  ].filter((t): t is number => t !== undefined);
  if (known.length > 0) {
    const t = known[0]!;
    const consistent = known.every((k) => k === t) && Number.isInteger(t) && t >= 1;
    return consistent && image.width % t === 0 && image.height % t === 0 ? [t] : [];
  }
  const sizes: number[] = [];
  for (let t = MIN_SEARCHED_TILE_SIZE; t <= MAX_SEARCHED_TILE_SIZE; t++) {
    if (image.width % t !== 0 || image.height % t !== 0) continue;
    const w = image.width / t;
    const h = image.height / t;
    if (w >= MIN_CELLS && w <= MAX_CELLS && h >= MIN_CELLS && h <= MAX_CELLS) sizes.push(t);
  }
  // MiniGrid renders at 32 (render()) and 8 (wrappers); trying them first usually ends the search.
  const rank = (t: number): number => (t === 32 ? 0 : t === 8 ? 1 : 2);
  return sizes.sort((a, b) => rank(a) - rank(b) || b - a);
}

function copyTile(
  image: RgbImage,
  cellX: number,
  cellY: number,
  tileSize: number,
  into: Uint8Array,
): void {
  const rowBytes = tileSize * 3;
  const stride = image.width * 3;
  let from = (cellY * tileSize * image.width + cellX * tileSize) * 3;
  for (let r = 0; r < tileSize; r++) {
    into.set(image.data.subarray(from, from + rowBytes), r * rowBytes);
    from += stride;
  }
}

function exactMatch(atlas: TileAtlas, bytes: Uint8Array): AtlasTile | undefined {
  const bucket = atlas.byHash.get(hashTile(bytes));
  if (bucket === undefined) return undefined;
  return bucket.find((t) => sameBytes(t.bytes, bytes));
}

function nearestMatch(atlas: TileAtlas, bytes: Uint8Array): TileMatch {
  let best = atlas.tiles[0]!;
  let bestSum = Infinity;
  for (const tile of atlas.tiles) {
    const ref = tile.bytes;
    let sum = 0;
    for (let i = 0; i < bytes.length && sum < bestSum; i++) {
      const d = ref[i]! - bytes[i]!;
      sum += d < 0 ? -d : d;
    }
    if (sum < bestSum) {
      bestSum = sum;
      best = tile;
    }
  }
  return { tile: best, difference: bestSum / bytes.length };
}

/**
 * Matches every tile at one tile size. Without `maxDifference` only exact matches count; with it,
 * nearest matches are accepted up to that mean difference. Returns null as soon as a tile fails.
 */
function matchTiles(image: RgbImage, tileSize: number, maxDifference?: number): Candidate | null {
  const atlas = tileAtlas(tileSize);
  const width = image.width / tileSize;
  const height = image.height / tileSize;
  const scratch = new Uint8Array(tileSize * tileSize * 3);
  const matches: TileMatch[] = [];
  let exact = true;
  let total = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      copyTile(image, x, y, tileSize, scratch);
      const tile = exactMatch(atlas, scratch);
      if (tile !== undefined) {
        matches.push({ tile, difference: 0 });
        continue;
      }
      if (maxDifference === undefined) return null;
      exact = false;
      const near = nearestMatch(atlas, scratch);
      if (near.difference > maxDifference) return null;
      matches.push(near);
      total += near.difference;
    }
  }
  return { tileSize, matches, exact, meanDifference: total / matches.length };
}

function toReading(
  image: RgbImage,
  c: Candidate,
  options: ReadGridPictureOptions,
  maxDiff: number,
): GridPictureReadResult {
  const width = image.width / c.tileSize;
  const height = image.height / c.tileSize;
  const encoding = new Uint8Array(width * height * 3);
  const highlight = new Uint8Array(width * height);
  let agent: { x: number; y: number; dir: number } | null = null;
  let agents = 0;
  let confidence = 0;
  for (let cell = 0; cell < c.matches.length; cell++) {
    const { tile, difference } = c.matches[cell]!;
    const unseen =
      options.unhighlightedEmptyAs === 'unseen' &&
      tile.type === 1 &&
      !tile.highlight &&
      tile.agentDir < 0;
    if (!unseen) {
      encoding[cell * 3] = tile.type;
      encoding[cell * 3 + 1] = tile.color;
      encoding[cell * 3 + 2] = tile.state;
    }
    highlight[cell] = tile.highlight ? 1 : 0;
    if (tile.agentDir >= 0) {
      agents++;
      agent = { x: Math.floor(cell / height), y: cell % height, dir: tile.agentDir };
    }
    confidence += difference === 0 ? 1 : Math.max(0, 1 - difference / maxDiff);
  }
  if (agents > 1) return { ok: false, reason: `${agents} agents found; a MiniGrid render has one` };
  if (agents === 0 && (options.requireAgent ?? true))
    return { ok: false, reason: 'no agent found' };
  return {
    ok: true,
    width,
    height,
    tileSize: c.tileSize,
    encoding,
    agent,
    highlight,
    confidence: confidence / c.matches.length,
  };
}

/**
 * Decodes a MiniGrid render (full map or agent view) back into cells by matching every tile
 * against the renderer's own tiles: exactly when the image is untouched, else by nearest pixel
 * distance. Never throws; images that are not such renders give `{ ok: false, reason }`.
 */
export function readGridPicture(
  image: RgbImage,
  options: ReadGridPictureOptions = {},
): GridPictureReadResult {
  try {
    const { width, height, data } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      return { ok: false, reason: `bad image size ${width}x${height}` };
    }
    if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
      return { ok: false, reason: 'image data is not width * height * 3 RGB bytes' };
    }
    const sizes = tileSizesToTry(image, options);
    if (sizes.length === 0) {
      return {
        ok: false,
        reason: `no tile size fits a ${width}x${height} image with ${MIN_CELLS}..${MAX_CELLS} cells a side`,
      };
    }
    const maxDiff = options.maxMeanDifference ?? 8;
    let firstFailure: GridPictureFailure | null = null;
    for (const tileSize of sizes) {
      const exact = matchTiles(image, tileSize);
      if (exact === null) continue;
      const reading = toReading(image, exact, options, maxDiff);
      if (reading.ok) return reading;
      firstFailure ??= reading;
    }
    let best: Candidate | null = null;
    for (const tileSize of sizes) {
      const candidate = matchTiles(image, tileSize, maxDiff);
      if (candidate === null || candidate.exact) continue;
      if (best === null || candidate.meanDifference < best.meanDifference) best = candidate;
    }
    if (best === null) {
      return (
        firstFailure ?? {
          ok: false,
          reason: 'the image does not look like a MiniGrid render (no tile size matches its tiles)',
        }
      );
    }
    return toReading(image, best, options, maxDiff);
  } catch (error) {
    return {
      ok: false,
      reason: `could not read the image: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

import { renderTile } from './render-tile.ts';
import { TILE_KEY_COUNT, tileKeyParts } from './tile-key.ts';

/** One cached tile in the two shapes frame assembly copies from. */
export interface CachedTile {
  /** `tileSize * tileSize * 3` RGB bytes. */
  bytes: Uint8Array;
  /** Views of each row, so byte-wise copies need no `subarray` allocation per row. */
  rows: Uint8Array[];
  /**
   * The same bytes as 32-bit words when a row is a whole number of words (tile size divisible
   * by 4): copying 6 words per row of an 8 px tile is faster than a native `set` call per row.
   */
  words: Uint32Array | null;
}

/**
 * Rendered tiles per tile size. Like MiniGrid's `tile_cache`, it only grows; a tile size holds at
 * most `TILE_KEY_COUNT` small tiles.
 */
export class TileCache {
  private readonly bySize = new Map<number, (CachedTile | undefined)[]>();
  private lastSize = -1;
  private lastTiles: (CachedTile | undefined)[] = [];

  /** The tiles of one size, indexed by tile key; holes are filled by `tile`. */
  tilesFor(tileSize: number): (CachedTile | undefined)[] {
    if (tileSize === this.lastSize) return this.lastTiles;
    let tiles = this.bySize.get(tileSize);
    if (tiles === undefined) {
      tiles = new Array<CachedTile | undefined>(TILE_KEY_COUNT).fill(undefined);
      this.bySize.set(tileSize, tiles);
    }
    this.lastSize = tileSize;
    this.lastTiles = tiles;
    return tiles;
  }

  /** The tile for `key` at `tileSize`, rendering it on first use. */
  tile(key: number, tileSize: number): CachedTile {
    const tiles = this.tilesFor(tileSize);
    const cached = tiles[key];
    if (cached !== undefined) return cached;
    const p = tileKeyParts(key);
    const bytes = renderTile(p.type, p.color, p.state, p.agentDir, p.highlight, tileSize);
    const rowBytes = tileSize * 3;
    const rows: Uint8Array[] = [];
    for (let r = 0; r < tileSize; r++) rows.push(bytes.subarray(r * rowBytes, (r + 1) * rowBytes));
    const words =
      tileSize % 4 === 0
        ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2)
        : null;
    const tile = { bytes, rows, words };
    tiles[key] = tile;
    return tile;
  }
}

/** The process-wide cache used by `renderGrid`. */
export const tileCache = new TileCache();

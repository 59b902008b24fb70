import { renderTile } from './render-tile.ts';
import { TILE_KEY_COUNT, tileKeyParts } from './tile-key.ts';

/**
 * Rendered tiles per tile size, each stored as views of its rows so that frame assembly is
 * allocation-free `Uint8Array.prototype.set` calls. Like MiniGrid's `tile_cache`, it only grows;
 * a tile size holds at most `TILE_KEY_COUNT` small tiles.
 */
export class TileCache {
  private readonly bySize = new Map<number, (Uint8Array[] | undefined)[]>();
  private lastSize = -1;
  private lastTiles: (Uint8Array[] | undefined)[] = [];

  /** The tiles of one size, indexed by tile key; holes are filled by `rows`. */
  tilesFor(tileSize: number): (Uint8Array[] | undefined)[] {
    if (tileSize === this.lastSize) return this.lastTiles;
    let tiles = this.bySize.get(tileSize);
    if (tiles === undefined) {
      tiles = new Array<Uint8Array[] | undefined>(TILE_KEY_COUNT).fill(undefined);
      this.bySize.set(tileSize, tiles);
    }
    this.lastSize = tileSize;
    this.lastTiles = tiles;
    return tiles;
  }

  /** Row views of the tile for `key` at `tileSize`, rendering it on first use. */
  rows(key: number, tileSize: number): Uint8Array[] {
    const tiles = this.tilesFor(tileSize);
    const cached = tiles[key];
    if (cached !== undefined) return cached;
    const p = tileKeyParts(key);
    const tile = renderTile(p.type, p.color, p.state, p.agentDir, p.highlight, tileSize);
    const rowBytes = tileSize * 3;
    const rows: Uint8Array[] = [];
    for (let r = 0; r < tileSize; r++) rows.push(tile.subarray(r * rowBytes, (r + 1) * rowBytes));
    tiles[key] = rows;
    return rows;
  }
}

/** The process-wide cache used by `renderGrid`. */
export const tileCache = new TileCache();

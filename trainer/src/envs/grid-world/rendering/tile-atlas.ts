import { tileCache } from './tile-cache.ts';
import { objectCode, tileKey } from './tile-key.ts';

/** A distinct rendered tile and what it shows. */
export interface AtlasTile {
  type: number;
  color: number;
  state: number;
  /** -1 = no agent. */
  agentDir: number;
  highlight: boolean;
  bytes: Uint8Array;
}

/** Every distinct tile at one tile size, with an exact lookup by content. */
export interface TileAtlas {
  tileSize: number;
  tiles: AtlasTile[];
  /** Content hash (see `hashTile`) to the tiles with that hash. */
  byHash: Map<number, AtlasTile[]>;
}

const COLORS = [0, 1, 2, 3, 4, 5];
const GREY = 5;

/**
 * The encodings a reader can tell apart, most likely first. Tiles that render identically keep
 * the first: a green wall looks exactly like the goal, and unseen like empty.
 * Goal is always green and lava always red in MiniGrid, so their other colours are left out.
 */
function readableEncodings(): [number, number, number][] {
  const list: [number, number, number][] = [
    [1, 0, 0],
    [2, GREY, 0],
    [8, 1, 0],
    [9, 0, 0],
  ];
  for (const color of COLORS) for (const state of [1, 2, 0]) list.push([4, color, state]);
  for (const type of [5, 6, 7, 3]) for (const color of COLORS) list.push([type, color, 0]);
  for (const color of COLORS) if (color !== GREY) list.push([2, color, 0]);
  return list;
}

/**
 * Cells the agent can be drawn on: what it can stand on in the full map (empty, goal, lava,
 * floor, open door) or carry in the agent view (key, ball, box). Leaving out walls and shut
 * doors keeps noisy matching from seeing an agent where none can be.
 */
function canHoldAgent(type: number, state: number): boolean {
  return type !== 2 && !(type === 4 && state !== 0);
}

// Every 7th byte (7 is coprime with 3, so all channels are sampled): a tile at 32 px is 3,072
// bytes, and hashing them all was most of the time spent reading a picture.
const HASH_STRIDE = 7;

/** FNV-1a over a sample of the bytes: cheap, and collisions are resolved by comparing bytes. */
export function hashTile(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i += HASH_STRIDE) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Whether two tiles' bytes are equal (a native compare: a JS loop over them was slow). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

const atlases = new Map<number, TileAtlas>();

/** The atlas for `tileSize`, built from the renderer's own (cached) tiles on first use. */
export function tileAtlas(tileSize: number): TileAtlas {
  const known = atlases.get(tileSize);
  if (known !== undefined) return known;
  const tiles: AtlasTile[] = [];
  const byHash = new Map<number, AtlasTile[]>();
  for (const highlight of [false, true]) {
    for (const agentDir of [-1, 0, 1, 2, 3]) {
      for (const [type, color, state] of readableEncodings()) {
        if (agentDir >= 0 && !canHoldAgent(type, state)) continue;
        const key = tileKey(objectCode(type, color, state), agentDir, highlight ? 1 : 0);
        const bytes = tileCache.tile(key, tileSize).bytes;
        const hash = hashTile(bytes);
        const bucket = byHash.get(hash) ?? [];
        if (bucket.some((t) => sameBytes(t.bytes, bytes))) continue;
        const tile = { type, color, state, agentDir, highlight, bytes };
        bucket.push(tile);
        byHash.set(hash, bucket);
        tiles.push(tile);
      }
    }
  }
  const atlas = { tileSize, tiles, byHash };
  atlases.set(tileSize, atlas);
  return atlas;
}

/**
 * A grid-world observation. `image` is MiniGrid's `obs["image"]` (7x7x3) flattened in C
 * order of `[column][row][channel]`: value `(i, j, ch)` is at `(i * 7 + j) * 3 + ch`, with
 * column `i` left to right as the agent sees it and row `j` from far (0) to near (6); the
 * agent sits at column 3, row 6. It is a fresh array per step, safe to keep.
 */
export interface GridObservation {
  image: Uint8Array;
  direction: number;
  mission: string;
}

export const VIEW_SIZE = 7;

/** Reads `image[i][j][channel]` from a flat observation image. */
export function imageAt(image: Uint8Array, i: number, j: number, channel: number): number {
  return image[(i * VIEW_SIZE + j) * 3 + channel]!;
}

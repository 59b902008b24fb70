/**
 * One MiniGrid tile, drawn exactly as `Grid.render_tile` does (reference §8): a 3x supersampled
 * canvas, shapes filled by testing sub-pixel centres, optional highlight, then a 3x3 mean that is
 * truncated. All arithmetic is float64, which the reference verified to match MiniGrid's mixed
 * float32/float64 code byte for byte at tile sizes 8 and 32.
 */

const SUBDIVS = 3;

// MiniGrid's COLORS, indexed by COLOR_TO_IDX.
const COLOR_RGB: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [112, 39, 195],
  [255, 255, 0],
  [100, 100, 100],
];

const TYPE_WALL = 2;
const TYPE_FLOOR = 3;
const TYPE_DOOR = 4;
const TYPE_KEY = 5;
const TYPE_BALL = 6;
const TYPE_BOX = 7;
const TYPE_GOAL = 8;
const TYPE_LAVA = 9;

type Rgb = readonly [number, number, number];
type Inside = (x: number, y: number) => boolean;

class Canvas {
  readonly size: number;
  readonly data: Uint8Array;
  // Sub-pixel centres are the same on both axes, so they are computed once per canvas.
  private readonly centres: Float64Array;

  constructor(tileSize: number) {
    this.size = tileSize * SUBDIVS;
    this.data = new Uint8Array(this.size * this.size * 3);
    this.centres = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) this.centres[i] = (i + 0.5) / this.size;
  }

  fill(inside: Inside, color: Rgb): void {
    // Colours may be fractional (floor is c/2, locked door 0.45c); numpy truncates them on write.
    const r = Math.trunc(color[0]);
    const g = Math.trunc(color[1]);
    const b = Math.trunc(color[2]);
    const { size, data, centres } = this;
    for (let py = 0; py < size; py++) {
      const yf = centres[py]!;
      for (let px = 0; px < size; px++) {
        if (!inside(centres[px]!, yf)) continue;
        const k = (py * size + px) * 3;
        data[k] = r;
        data[k + 1] = g;
        data[k + 2] = b;
      }
    }
  }

  highlight(): void {
    const data = this.data;
    for (let k = 0; k < data.length; k++) {
      const v = data[k]!;
      data[k] = Math.trunc(v + 0.3 * (255 - v));
    }
  }

  downsample(tileSize: number): Uint8Array {
    const out = new Uint8Array(tileSize * tileSize * 3);
    const { size, data } = this;
    for (let y = 0; y < tileSize; y++) {
      for (let x = 0; x < tileSize; x++) {
        for (let ch = 0; ch < 3; ch++) {
          let sum = 0;
          for (let dy = 0; dy < SUBDIVS; dy++) {
            const row = (y * SUBDIVS + dy) * size;
            for (let dx = 0; dx < SUBDIVS; dx++) sum += data[(row + x * SUBDIVS + dx) * 3 + ch]!;
          }
          out[(y * tileSize + x) * 3 + ch] = Math.trunc(sum / 9);
        }
      }
    }
    return out;
  }
}

function rect(xmin: number, xmax: number, ymin: number, ymax: number): Inside {
  return (x, y) => x >= xmin && x <= xmax && y >= ymin && y <= ymax;
}

function circle(cx: number, cy: number, r: number): Inside {
  return (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
}

/** MiniGrid's `point_in_line`: a capsule around the segment, behind a bounding-box early exit. */
function capsule(x0: number, y0: number, x1: number, y1: number, r: number): Inside {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const dist = Math.hypot(dx, dy);
  const ux = dx / dist;
  const uy = dy / dist;
  const xmin = Math.min(x0, x1) - r;
  const xmax = Math.max(x0, x1) + r;
  const ymin = Math.min(y0, y1) - r;
  const ymax = Math.max(y0, y1) + r;
  return (x, y) => {
    if (x < xmin || x > xmax || y < ymin || y > ymax) return false;
    let a = (x - x0) * ux + (y - y0) * uy;
    a = a < 0 ? 0 : a > dist ? dist : a;
    return Math.hypot(x - (x0 + a * ux), y - (y0 + a * uy)) <= r;
  };
}

/** MiniGrid's barycentric `point_in_triangle`; note the strict `u + v < 1`. */
function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Inside {
  const v0x = cx - ax;
  const v0y = cy - ay;
  const v1x = bx - ax;
  const v1y = by - ay;
  const dot00 = v0x * v0x + v0y * v0y;
  const dot01 = v0x * v1x + v0y * v1y;
  const dot11 = v1x * v1x + v1y * v1y;
  const invDenom = 1 / (dot00 * dot11 - dot01 * dot01);
  return (x, y) => {
    const v2x = x - ax;
    const v2y = y - ay;
    const dot02 = v0x * v2x + v0y * v2y;
    const dot12 = v1x * v2x + v1y * v2y;
    const u = (dot11 * dot02 - dot01 * dot12) * invDenom;
    const v = (dot00 * dot12 - dot01 * dot02) * invDenom;
    return u >= 0 && v >= 0 && u + v < 1;
  };
}

/** MiniGrid's `rotate_fn`: the sample point is turned by -theta about (cx, cy). */
function rotated(inside: Inside, cx: number, cy: number, theta: number): Inside {
  const cos = Math.cos(-theta);
  const sin = Math.sin(-theta);
  return (x, y) => {
    const rx = x - cx;
    const ry = y - cy;
    return inside(cx + rx * cos - ry * sin, cy + ry * cos + rx * sin);
  };
}

const BLACK: Rgb = [0, 0, 0];
const GRID_LINE: Rgb = [100, 100, 100];
const LAVA_ORANGE: Rgb = [255, 128, 0];
const AGENT_RED: Rgb = [255, 0, 0];

function scaled(c: Rgb, factor: number): Rgb {
  return [c[0] * factor, c[1] * factor, c[2] * factor];
}

function drawObject(canvas: Canvas, type: number, colorIndex: number, state: number): void {
  const c = COLOR_RGB[colorIndex];
  if (c === undefined) throw new RangeError(`unknown MiniGrid colour index ${colorIndex}`);
  switch (type) {
    case TYPE_WALL:
    case TYPE_GOAL:
      canvas.fill(rect(0, 1, 0, 1), c);
      return;
    case TYPE_FLOOR:
      canvas.fill(rect(0.031, 1, 0.031, 1), scaled(c, 0.5));
      return;
    case TYPE_LAVA:
      canvas.fill(rect(0, 1, 0, 1), LAVA_ORANGE);
      for (let i = 0; i < 3; i++) {
        const ylo = 0.3 + 0.2 * i;
        const yhi = 0.4 + 0.2 * i;
        canvas.fill(capsule(0.1, ylo, 0.3, yhi, 0.03), BLACK);
        canvas.fill(capsule(0.3, yhi, 0.5, ylo, 0.03), BLACK);
        canvas.fill(capsule(0.5, ylo, 0.7, yhi, 0.03), BLACK);
        canvas.fill(capsule(0.7, yhi, 0.9, ylo, 0.03), BLACK);
      }
      return;
    case TYPE_DOOR:
      if (state === 0) {
        canvas.fill(rect(0.88, 1, 0, 1), c);
        canvas.fill(rect(0.92, 0.96, 0.04, 0.96), BLACK);
      } else if (state === 2) {
        canvas.fill(rect(0, 1, 0, 1), c);
        canvas.fill(rect(0.06, 0.94, 0.06, 0.94), scaled(c, 0.45));
        canvas.fill(rect(0.52, 0.75, 0.5, 0.56), c);
      } else if (state === 1) {
        canvas.fill(rect(0, 1, 0, 1), c);
        canvas.fill(rect(0.04, 0.96, 0.04, 0.96), BLACK);
        canvas.fill(rect(0.08, 0.92, 0.08, 0.92), c);
        canvas.fill(rect(0.12, 0.88, 0.12, 0.88), BLACK);
        canvas.fill(circle(0.75, 0.5, 0.08), c);
      } else {
        throw new RangeError(`unknown MiniGrid door state ${state}`);
      }
      return;
    case TYPE_KEY:
      canvas.fill(rect(0.5, 0.63, 0.31, 0.88), c);
      canvas.fill(rect(0.38, 0.5, 0.59, 0.66), c);
      canvas.fill(rect(0.38, 0.5, 0.81, 0.88), c);
      canvas.fill(circle(0.56, 0.28, 0.19), c);
      canvas.fill(circle(0.56, 0.28, 0.064), BLACK);
      return;
    case TYPE_BALL:
      canvas.fill(circle(0.5, 0.5, 0.31), c);
      return;
    case TYPE_BOX:
      canvas.fill(rect(0.12, 0.88, 0.12, 0.88), c);
      canvas.fill(rect(0.18, 0.82, 0.18, 0.82), BLACK);
      canvas.fill(rect(0.16, 0.84, 0.47, 0.53), c);
      return;
    default:
      throw new RangeError(`MiniGrid object type ${type} cannot be drawn`);
  }
}

const AGENT_SHAPE = triangle(0.12, 0.19, 0.87, 0.5, 0.12, 0.81);

/**
 * Renders one tile as `tileSize x tileSize` RGB bytes (row-major).
 * `type` 0 or 1 draws no object; `agentDir` -1 draws no agent.
 */
export function renderTile(
  type: number,
  colorIndex: number,
  state: number,
  agentDir: number,
  highlight: boolean,
  tileSize: number,
): Uint8Array {
  if (!Number.isInteger(tileSize) || tileSize < 1)
    throw new RangeError(`bad tile size ${tileSize}`);
  const canvas = new Canvas(tileSize);
  canvas.fill(rect(0, 0.031, 0, 1), GRID_LINE);
  canvas.fill(rect(0, 1, 0, 0.031), GRID_LINE);
  if (type > 1) drawObject(canvas, type, colorIndex, state);
  if (agentDir >= 0) {
    if (agentDir > 3) throw new RangeError(`bad agent direction ${agentDir}`);
    canvas.fill(rotated(AGENT_SHAPE, 0.5, 0.5, 0.5 * Math.PI * agentDir), AGENT_RED);
  }
  if (highlight) canvas.highlight();
  return canvas.downsample(tileSize);
}

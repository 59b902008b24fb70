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
/** xmin, xmax, ymin, ymax in tile fractions. */
type Bounds = readonly [number, number, number, number];

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

  /**
   * Fills the sub-pixels whose centre is `inside`. `bounds` (xmin, xmax, ymin, ymax) must contain
   * the shape; it only narrows the scan (by a safe pixel margin), never the test, so the result
   * is the same as scanning the whole canvas.
   */
  fill(inside: Inside, color: Rgb, bounds?: Bounds): void {
    // Colours may be fractional (floor is c/2, locked door 0.45c); numpy truncates them on write.
    const r = Math.trunc(color[0]);
    const g = Math.trunc(color[1]);
    const b = Math.trunc(color[2]);
    const { size, data, centres } = this;
    const [x0, x1, y0, y1] =
      bounds === undefined ? [0, size - 1, 0, size - 1] : this.pixelRange(bounds);
    for (let py = y0; py <= y1; py++) {
      const yf = centres[py]!;
      for (let px = x0; px <= x1; px++) {
        if (!inside(centres[px]!, yf)) continue;
        const k = (py * size + px) * 3;
        data[k] = r;
        data[k + 1] = g;
        data[k + 2] = b;
      }
    }
  }

  fillShape(shape: Shape, color: Rgb): void {
    this.fill(shape.inside, color, shape.bounds);
  }

  private pixelRange(bounds: Bounds): [number, number, number, number] {
    const s = this.size;
    const lo = (f: number): number => Math.max(0, Math.floor(f * s) - 2);
    const hi = (f: number): number => Math.min(s - 1, Math.ceil(f * s) + 1);
    return [lo(bounds[0]), hi(bounds[1]), lo(bounds[2]), hi(bounds[3])];
  }

  /**
   * `fill(rect(...))` without a test per sub-pixel: the inclusive rect test is separable, so the
   * covered columns and rows are found once per axis with the same comparisons.
   */
  fillRect(xmin: number, xmax: number, ymin: number, ymax: number, color: Rgb): void {
    const r = Math.trunc(color[0]);
    const g = Math.trunc(color[1]);
    const b = Math.trunc(color[2]);
    const { size, data, centres } = this;
    let x0 = size;
    let x1 = -1;
    let y0 = size;
    let y1 = -1;
    for (let i = 0; i < size; i++) {
      const f = centres[i]!;
      if (f >= xmin && f <= xmax) {
        if (i < x0) x0 = i;
        x1 = i;
      }
      if (f >= ymin && f <= ymax) {
        if (i < y0) y0 = i;
        y1 = i;
      }
    }
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
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

interface Shape {
  inside: Inside;
  bounds: Bounds;
}

function circle(cx: number, cy: number, r: number): Shape {
  return {
    inside: (x, y) => (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r,
    bounds: [cx - r, cx + r, cy - r, cy + r],
  };
}

/** MiniGrid's `point_in_line`: a capsule around the segment, behind a bounding-box early exit. */
function capsule(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  const dx = x1 - x0;
  const dy = y1 - y0;
  // numpy's norm is sqrt(dot(v, v)); Math.hypot may round differently.
  const dist = Math.sqrt(dx * dx + dy * dy);
  const ux = dx / dist;
  const uy = dy / dist;
  const xmin = Math.min(x0, x1) - r;
  const xmax = Math.max(x0, x1) + r;
  const ymin = Math.min(y0, y1) - r;
  const ymax = Math.max(y0, y1) + r;
  const inside: Inside = (x, y) => {
    if (x < xmin || x > xmax || y < ymin || y > ymax) return false;
    let a = (x - x0) * ux + (y - y0) * uy;
    a = a < 0 ? 0 : a > dist ? dist : a;
    const ex = x - (x0 + a * ux);
    const ey = y - (y0 + a * uy);
    return Math.sqrt(ex * ex + ey * ey) <= r;
  };
  return { inside, bounds: [xmin, xmax, ymin, ymax] };
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
      canvas.fillRect(0, 1, 0, 1, c);
      return;
    case TYPE_FLOOR:
      canvas.fillRect(0.031, 1, 0.031, 1, scaled(c, 0.5));
      return;
    case TYPE_LAVA:
      canvas.fillRect(0, 1, 0, 1, LAVA_ORANGE);
      for (let i = 0; i < 3; i++) {
        const ylo = 0.3 + 0.2 * i;
        const yhi = 0.4 + 0.2 * i;
        canvas.fillShape(capsule(0.1, ylo, 0.3, yhi, 0.03), BLACK);
        canvas.fillShape(capsule(0.3, yhi, 0.5, ylo, 0.03), BLACK);
        canvas.fillShape(capsule(0.5, ylo, 0.7, yhi, 0.03), BLACK);
        canvas.fillShape(capsule(0.7, yhi, 0.9, ylo, 0.03), BLACK);
      }
      return;
    case TYPE_DOOR:
      if (state === 0) {
        canvas.fillRect(0.88, 1, 0, 1, c);
        canvas.fillRect(0.92, 0.96, 0.04, 0.96, BLACK);
      } else if (state === 2) {
        canvas.fillRect(0, 1, 0, 1, c);
        canvas.fillRect(0.06, 0.94, 0.06, 0.94, scaled(c, 0.45));
        canvas.fillRect(0.52, 0.75, 0.5, 0.56, c);
      } else if (state === 1) {
        canvas.fillRect(0, 1, 0, 1, c);
        canvas.fillRect(0.04, 0.96, 0.04, 0.96, BLACK);
        canvas.fillRect(0.08, 0.92, 0.08, 0.92, c);
        canvas.fillRect(0.12, 0.88, 0.12, 0.88, BLACK);
        canvas.fillShape(circle(0.75, 0.5, 0.08), c);
      } else {
        throw new RangeError(`unknown MiniGrid door state ${state}`);
      }
      return;
    case TYPE_KEY:
      canvas.fillRect(0.5, 0.63, 0.31, 0.88, c);
      canvas.fillRect(0.38, 0.5, 0.59, 0.66, c);
      canvas.fillRect(0.38, 0.5, 0.81, 0.88, c);
      canvas.fillShape(circle(0.56, 0.28, 0.19), c);
      canvas.fillShape(circle(0.56, 0.28, 0.064), BLACK);
      return;
    case TYPE_BALL:
      canvas.fillShape(circle(0.5, 0.5, 0.31), c);
      return;
    case TYPE_BOX:
      canvas.fillRect(0.12, 0.88, 0.12, 0.88, c);
      canvas.fillRect(0.18, 0.82, 0.18, 0.82, BLACK);
      canvas.fillRect(0.16, 0.84, 0.47, 0.53, c);
      return;
    default:
      throw new RangeError(`MiniGrid object type ${type} cannot be drawn`);
  }
}

const AGENT_VERTICES = [0.12, 0.19, 0.87, 0.5, 0.12, 0.81] as const;
const AGENT_SHAPE = triangle(...AGENT_VERTICES);

/** The on-screen box of the agent triangle turned by theta, padded against rounding. */
function agentBounds(theta: number): Bounds {
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 6; i += 2) {
    const dx = AGENT_VERTICES[i]! - 0.5;
    const dy = AGENT_VERTICES[i + 1]! - 0.5;
    xs.push(0.5 + dx * cos - dy * sin);
    ys.push(0.5 + dx * sin + dy * cos);
  }
  const pad = 0.01;
  return [
    Math.min(...xs) - pad,
    Math.max(...xs) + pad,
    Math.min(...ys) - pad,
    Math.max(...ys) + pad,
  ];
}

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
  canvas.fillRect(0, 0.031, 0, 1, GRID_LINE);
  canvas.fillRect(0, 1, 0, 0.031, GRID_LINE);
  if (type > 1) drawObject(canvas, type, colorIndex, state);
  if (agentDir >= 0) {
    if (agentDir > 3) throw new RangeError(`bad agent direction ${agentDir}`);
    const theta = 0.5 * Math.PI * agentDir;
    canvas.fill(rotated(AGENT_SHAPE, 0.5, 0.5, theta), AGENT_RED, agentBounds(theta));
  }
  if (highlight) canvas.highlight();
  return canvas.downsample(tileSize);
}
